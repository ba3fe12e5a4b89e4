import { existsSync, readFileSync } from 'node:fs';

const LISTEN = '0A';

/** An IPv4 address as /proc/net/tcp writes it: 8 hex digits, little-endian. */
const ipv4 = (hex: string): string => [6, 4, 2, 0].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16)).join('.');

/** An IPv6 address as /proc/net/tcp6 writes it: four little-endian 32-bit words, printed in full. */
const ipv6 = (hex: string): string => {
  const bytes = [0, 8, 16, 24].flatMap((word) => [6, 4, 2, 0].map((offset) => hex.slice(word + offset, word + offset + 2)));
  const groups = Array.from({ length: 8 }, (_, index) => `${bytes[2 * index]}${bytes[2 * index + 1]}`.toLowerCase());
  const mapped = groups.slice(0, 5).every((group) => group === '0000') && groups[5] === 'ffff';
  return mapped ? `::ffff:${ipv4([bytes[15], bytes[14], bytes[13], bytes[12]].join(''))}` : groups.join(':');
};

/**
 * The local addresses of every TCP socket listening on `port`, from the kernel's tables (Linux): e.g.
 * `127.0.0.1`, `0.0.0.0`, `::ffff:127.0.0.1`, or `0000:…:0000` for every IPv6 interface.
 */
export const listenersOn = (port: number): string[] => {
  if (!existsSync('/proc/net/tcp')) throw new Error('listenersOn reads /proc/net/tcp, which only Linux has');
  return (['tcp', 'tcp6'] as const).flatMap((table) => {
    const file = `/proc/net/${table}`;
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === LISTEN && Number.parseInt(fields[1]?.split(':')[1] ?? '', 16) === port)
      .map((fields) => {
        const address = fields[1]?.split(':')[0] ?? '';
        return table === 'tcp' ? ipv4(address) : ipv6(address);
      });
  });
};

/** Whether an address is a loopback one (IPv4 127/8, its IPv6-mapped form, or ::1). */
export const isLoopback = (address: string): boolean => /^(::ffff:)?127\./.test(address) || address === '0000:0000:0000:0000:0000:0000:0000:0001';

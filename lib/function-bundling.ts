import * as path from 'node:path';
import type { BundlingOptions, ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * Packages a function loads on first use rather than at cold start (`functions/adapters/stripe-client.ts`): left
 * out of the handler's bundle, which V8 must otherwise compile whole at every cold start, and shipped beside it
 * as a bundle of their own in `node_modules/<name>/index.js`, where `require` finds them.
 */
export const DeferredPackage = { stripe: 'stripe' } as const;
export type DeferredPackage = (typeof DeferredPackage)[keyof typeof DeferredPackage];

/** The esbuild settings the functions are built with; the cold-start benchmark builds with the same ones. */
export const FUNCTION_BUILD = {
  /** Lambda's runtime is Node.js 24. */
  target: 'node24',
  // Readable code instead of minified code plus a source map: stack traces name real functions and lines
  // without `--enable-source-maps`, which cost about 90 ms of every cold start. Size barely matters once the
  // deferred packages are out.
  minify: false,
  sourceMap: false,
} as const;

// The package's launcher: the platform's native binary, or a script with a shebang where there is none.
const esbuildBinary = (): string => require.resolve('esbuild/bin/esbuild');

/** The shell command that builds one deferred package's own bundle into a function's asset directory. */
export const deferredPackageCommand = (options: { readonly packageName: string; readonly outputDir: string }): string =>
  [
    JSON.stringify(esbuildBinary()),
    JSON.stringify(require.resolve(options.packageName)),
    '--bundle',
    '--platform=node',
    '--format=cjs',
    '--minify',
    `--target=${FUNCTION_BUILD.target}`,
    '--log-level=warning',
    `--outfile=${JSON.stringify(path.join(options.outputDir, 'node_modules', options.packageName, 'index.js'))}`,
  ].join(' ');

const commandHooks = (deferred: readonly DeferredPackage[]): ICommandHooks => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_inputDir, outputDir) => deferred.map((packageName) => deferredPackageCommand({ packageName, outputDir })),
});

/**
 * `NodejsFunction` bundling: everything bundled (no `@aws-sdk/*` externals: the functions run the versions the
 * tests pinned, not whatever the runtime ships) except the deferred packages, built beside the handler.
 */
export const functionBundling = (deferred: readonly DeferredPackage[]): BundlingOptions => ({
  ...FUNCTION_BUILD,
  externalModules: [...deferred],
  ...(deferred.length === 0 ? {} : { commandHooks: commandHooks(deferred) }),
});

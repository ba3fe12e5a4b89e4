/** Overrides of the standard AWS settings; the CLI's `--region`. Unset fields fall back to the SDK's own chain. */
export interface AwsClientOptions {
  readonly region?: string;
}

/** The region override as client settings, or nothing. */
export const regionOf = (options: AwsClientOptions): { region?: string } => (options.region === undefined ? {} : { region: options.region });

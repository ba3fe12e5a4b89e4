import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * The esbuild settings the functions are built with; the cold-start benchmark builds with the same ones.
 * Everything is bundled (no `@aws-sdk/*` externals: the functions run the versions the tests pinned, not whatever
 * the runtime ships).
 */
export const FUNCTION_BUILD = {
  /** Lambda's runtime is Node.js 24. */
  target: 'node24',
  // ESM, with packages' ES module builds preferred: the AWS SDK and Powertools ship them, and esbuild tree-shakes
  // them far better than their CommonJS builds (measured: 8–10 ms less module init per function).
  format: 'esm',
  mainFields: ['module', 'main'],
  // A CommonJS dependency inside an ESM bundle may still call `require` for Node's own modules.
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  // Readable code instead of minified code plus a source map: stack traces name real functions and lines without
  // `--enable-source-maps`, which cost about 90 ms of every cold start; minifying changed init by ±2 ms.
  minify: false,
  sourceMap: false,
} as const;

/** `NodejsFunction` bundling, from {@link FUNCTION_BUILD}. */
export const functionBundling = (): BundlingOptions => ({
  target: FUNCTION_BUILD.target,
  format: OutputFormat.ESM,
  mainFields: [...FUNCTION_BUILD.mainFields],
  banner: FUNCTION_BUILD.banner,
  minify: FUNCTION_BUILD.minify,
  sourceMap: FUNCTION_BUILD.sourceMap,
  // CDK leaves `@aws-sdk/*` out by default, for the runtime's copy: the functions ship the versions tested here.
  externalModules: [],
});

import { createProgram } from '../cli/program';

// The SDK's notice about future Node versions is noise for a CLI user.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Commands print their own results; the library's JSON log lines are for Lambda.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

createProgram().parseAsync(process.argv).catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

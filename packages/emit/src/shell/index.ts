export { emitShell } from "./emitShell.ts";
export { shellStepCommands } from "./shellStepCommands.ts";
export { shellUnsupported } from "./importBaseCommands.ts";
export { GNU_TAR_FIXED_ARGS as SHELL_GNU_TAR_FIXED_ARGS, GNU_TAR_PAX_ARGS as SHELL_GNU_TAR_PAX_ARGS } from "./gnuTarArgs.ts";

// Every test process builds with a cache of its own (the CLI's default is the user's
// ~/.cache/ocistage, shared by all builds): no test sees records another test, or the
// developer's own builds, made.
import * as os from "node:os";
import * as path from "node:path";

process.env["XDG_CACHE_HOME"] = path.join(os.tmpdir(), `ocistage-test-cache-${process.pid}`);

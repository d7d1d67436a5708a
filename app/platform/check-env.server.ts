/** Imported first by server.ts and the CLIs, so an invalid environment stops them before any other module loads. */
import { exitOnInvalidEnv } from "./env.server";

exitOnInvalidEnv();

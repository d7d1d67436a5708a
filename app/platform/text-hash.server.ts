/** The SHA-256 of a text (UTF-8), in hex: how a stored translation names the original it translates. */
import { createHash } from "node:crypto";

export const textSha256 = (text: string) => createHash("sha256").update(text).digest("hex");

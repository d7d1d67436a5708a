import { execFileSync } from "node:child_process";

/**
 * Decompresses a DICOM file to a native transfer syntax with a tool we did
 * not write: dcmtk, or GDCM for JPEG 2000 (which dcmtk cannot read).
 */
export function referenceDecode(syntax: string, input: string, output: string) {
  if (syntax.startsWith("1.2.840.10008.1.2.4.9")) execFileSync("gdcmconv", ["--raw", "-i", input, "-o", output]);
  else if (syntax.startsWith("1.2.840.10008.1.2.4.8")) execFileSync("dcmdjpls", ["+px", input, output]);
  else if (syntax.startsWith("1.2.840.10008.1.2.4.")) execFileSync("dcmdjpeg", ["+px", input, output]);
  else if (syntax === "1.2.840.10008.1.2.5") execFileSync("dcmdrle", [input, output]);
  else execFileSync("dcmconv", ["+te", input, output]);
}

export function transferSyntaxOf(file: string): string {
  return /\[([^\]]*)\]/.exec(execFileSync("dcmdump", ["-q", "-Un", "+P", "0002,0010", "-s", file], { encoding: "utf8" }))?.[1] ?? "";
}

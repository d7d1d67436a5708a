/** Why a DICOM file was refused, as i18n keys in the user's language. */
import type { RejectionReason } from "./deidentify-file";

/** Why a file was refused, in the user's language. */
export const REJECTION_KEYS: Record<RejectionReason | "quota" | "fileTooLarge", string> = {
  notDicom: "imaging:rejections.notDicom",
  noTransferSyntax: "imaging:rejections.noTransferSyntax",
  truncated: "imaging:rejections.truncated",
  badLength: "imaging:rejections.badLength",
  tooDeep: "imaging:rejections.tooDeep",
  tooManyElements: "imaging:rejections.tooManyElements",
  badDeflate: "imaging:rejections.badDeflate",
  missingUid: "imaging:rejections.missingUid",
  badNumberOfFrames: "imaging:rejections.badNumberOfFrames",
  missingRows: "imaging:rejections.missingRows",
  dimensionsTooLarge: "imaging:rejections.dimensionsTooLarge",
  pixelDataTooShort: "imaging:rejections.pixelDataTooShort",
  brokenCodestream: "imaging:rejections.brokenCodestream",
  stillIdentifying: "imaging:rejections.stillIdentifying",
  otherContext: "imaging:rejections.otherContext",
  quota: "imaging:rejections.quota",
  fileTooLarge: "imaging:rejections.fileTooLarge",
};

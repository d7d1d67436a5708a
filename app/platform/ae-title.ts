/** A DICOM Application Entity title (PS3.5 VR AE): 1 to 16 printable ASCII characters, no backslash. */
export const AE_TITLE = /^[\x20-\x5b\x5d-\x7e]{1,16}$/;

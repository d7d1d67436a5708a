/** Where a case's DICOM upload and slide upload sit on the case page: the packet form links there. */
export const IMAGING_SECTION_ID = "imaging";
export const SLIDES_SECTION_ID = "slides";

export const imagingUploadPath = (caseId: string) => `/cases/${caseId}#${IMAGING_SECTION_ID}`;
export const slideUploadPath = (caseId: string) => `/cases/${caseId}#${SLIDES_SECTION_ID}`;

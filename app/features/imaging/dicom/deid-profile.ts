/**
 * De-identification profile: DICOM PS3.15 Annex E, Table E.1-1, Basic
 * Application Level Confidentiality Profile, with the options
 *  - Retain Longitudinal Temporal Information with Modified Dates (dates shifted
 *    by one offset per case, so intervals are kept), and
 *  - Clean Descriptors (descriptions and protocol names are kept, with the
 *    patient's names and identifiers scrubbed out of them).
 * Actions: D replace with a dummy, Z empty, X remove, K keep, C clean, U new UID.
 * Attributes not listed here are kept; private groups are always removed.
 */
export type DeidAction = "D" | "Z" | "X" | "K" | "C" | "U";

type Row = [tag: string, vr: string, action: DeidAction, name: string];

// Tag as GGGGEEEE; "60xx"/"50xx" groups are matched for any xx.
export const PROFILE: Row[] = [
  ["00080014", "UI", "U", "Instance Creator UID"],
  ["00080018", "UI", "U", "SOP Instance UID"],
  ["00080020", "DA", "C", "Study Date"],
  ["00080021", "DA", "C", "Series Date"],
  ["00080022", "DA", "C", "Acquisition Date"],
  ["00080023", "DA", "C", "Content Date"],
  ["00080024", "DA", "C", "Overlay Date"],
  ["00080025", "DA", "C", "Curve Date"],
  ["0008002A", "DT", "C", "Acquisition DateTime"],
  ["00080030", "TM", "K", "Study Time"],
  ["00080050", "SH", "Z", "Accession Number"],
  ["00080054", "AE", "X", "Retrieve AE Title"],
  ["00080058", "UI", "U", "Failed SOP Instance UID List"],
  ["00080080", "LO", "X", "Institution Name"],
  ["00080081", "ST", "X", "Institution Address"],
  ["00080082", "SQ", "X", "Institution Code Sequence"],
  ["00080090", "PN", "Z", "Referring Physician's Name"],
  ["00080092", "ST", "X", "Referring Physician's Address"],
  ["00080094", "SH", "X", "Referring Physician's Telephone Numbers"],
  ["00080096", "SQ", "X", "Referring Physician Identification Sequence"],
  ["0008009C", "PN", "Z", "Consulting Physician's Name"],
  ["00080201", "SH", "X", "Timezone Offset From UTC"],
  ["00081010", "SH", "X", "Station Name"],
  ["00081030", "LO", "C", "Study Description"],
  ["0008103E", "LO", "C", "Series Description"],
  ["00081040", "LO", "X", "Institutional Department Name"],
  ["00081048", "PN", "X", "Physician(s) of Record"],
  ["00081049", "SQ", "X", "Physician(s) of Record Identification Sequence"],
  ["00081050", "PN", "X", "Performing Physicians' Name"],
  ["00081052", "SQ", "X", "Performing Physician Identification Sequence"],
  ["00081060", "PN", "X", "Name of Physician(s) Reading Study"],
  ["00081062", "SQ", "X", "Physician(s) Reading Study Identification Sequence"],
  ["00081070", "PN", "X", "Operators' Name"],
  ["00081072", "SQ", "X", "Operator Identification Sequence"],
  ["00081080", "LO", "X", "Admitting Diagnoses Description"],
  ["00081084", "SQ", "X", "Admitting Diagnoses Code Sequence"],
  ["00081155", "UI", "U", "Referenced SOP Instance UID"],
  ["00082111", "ST", "X", "Derivation Description"],
  ["00083010", "UI", "U", "Irradiation Event UID"],
  ["00100010", "PN", "D", "Patient's Name"],
  ["00100020", "LO", "D", "Patient ID"],
  ["00100021", "LO", "X", "Issuer of Patient ID"],
  ["00100030", "DA", "Z", "Patient's Birth Date"],
  ["00100032", "TM", "X", "Patient's Birth Time"],
  ["00100040", "CS", "Z", "Patient's Sex"],
  ["00100050", "SQ", "X", "Patient's Insurance Plan Code Sequence"],
  ["00101000", "LO", "X", "Other Patient IDs"],
  ["00101001", "PN", "X", "Other Patient Names"],
  ["00101002", "SQ", "X", "Other Patient IDs Sequence"],
  ["00101005", "PN", "X", "Patient's Birth Name"],
  ["00101010", "AS", "X", "Patient's Age"],
  ["00101020", "DS", "X", "Patient's Size"],
  ["00101030", "DS", "X", "Patient's Weight"],
  ["00101040", "LO", "X", "Patient's Address"],
  ["00101060", "PN", "X", "Patient's Mother's Birth Name"],
  ["00101080", "LO", "X", "Military Rank"],
  ["00101081", "LO", "X", "Branch of Service"],
  ["00101090", "LO", "X", "Medical Record Locator"],
  ["00102000", "LO", "X", "Medical Alerts"],
  ["00102110", "LO", "X", "Allergies"],
  ["00102150", "LO", "X", "Country of Residence"],
  ["00102152", "LO", "X", "Region of Residence"],
  ["00102154", "SH", "X", "Patient's Telephone Numbers"],
  ["00102155", "LT", "X", "Patient's Telecom Information"],
  ["00102160", "SH", "X", "Ethnic Group"],
  ["00102180", "SH", "X", "Occupation"],
  ["001021A0", "CS", "X", "Smoking Status"],
  ["001021B0", "LT", "X", "Additional Patient History"],
  ["001021C0", "US", "X", "Pregnancy Status"],
  ["001021F0", "LO", "X", "Patient's Religious Preference"],
  ["00104000", "LT", "X", "Patient Comments"],
  // X/Z/D in the standard; Type 1 in Enhanced General Equipment, so a dummy keeps every IOD valid.
  ["00181000", "LO", "D", "Device Serial Number"],
  ["00181002", "UI", "U", "Device UID"],
  ["00181004", "LO", "X", "Plate ID"],
  ["00181005", "LO", "X", "Generator ID"],
  ["00181007", "LO", "X", "Cassette ID"],
  ["00181008", "LO", "X", "Gantry ID"],
  ["00181030", "LO", "C", "Protocol Name"],
  ["00181400", "LO", "C", "Acquisition Device Processing Description"],
  ["00184000", "LT", "X", "Acquisition Comments"],
  ["0020000D", "UI", "U", "Study Instance UID"],
  ["0020000E", "UI", "U", "Series Instance UID"],
  ["00200010", "SH", "Z", "Study ID"],
  ["00200052", "UI", "U", "Frame of Reference UID"],
  ["00200200", "UI", "U", "Synchronization Frame of Reference UID"],
  ["00204000", "LT", "X", "Image Comments"],
  ["00209161", "UI", "U", "Concatenation UID"],
  ["00209164", "UI", "U", "Dimension Organization UID"],
  ["00281199", "UI", "U", "Palette Color Lookup Table UID"],
  ["00321032", "PN", "X", "Requesting Physician"],
  ["00321033", "LO", "X", "Requesting Service"],
  ["00324000", "LT", "X", "Study Comments"],
  ["00380010", "LO", "X", "Admission ID"],
  ["00380300", "LO", "X", "Current Patient Location"],
  ["00380400", "LO", "X", "Patient's Institution Residence"],
  ["00400006", "PN", "X", "Scheduled Performing Physician's Name"],
  ["00400241", "AE", "X", "Performed Station AE Title"],
  ["00400242", "SH", "X", "Performed Station Name"],
  ["00400243", "SH", "X", "Performed Location"],
  ["00400244", "DA", "C", "Performed Procedure Step Start Date"],
  ["00400253", "SH", "X", "Performed Procedure Step ID"],
  ["00400254", "LO", "C", "Performed Procedure Step Description"],
  ["00400275", "SQ", "X", "Request Attributes Sequence"],
  ["00401001", "SH", "X", "Requested Procedure ID"],
  ["00402016", "LO", "X", "Placer Order Number / Imaging Service Request"],
  ["00402017", "LO", "X", "Filler Order Number / Imaging Service Request"],
  ["00400512", "LO", "D", "Container Identifier"],
  ["00400551", "LO", "D", "Specimen Identifier"],
  ["0040A027", "LO", "X", "Verifying Organization"],
  ["0040A073", "SQ", "X", "Verifying Observer Sequence"],
  ["0040A075", "PN", "X", "Verifying Observer Name"],
  ["0040A078", "SQ", "X", "Author Observer Sequence"],
  ["0040A07A", "SQ", "X", "Participant Sequence"],
  ["0040A088", "SQ", "X", "Verifying Observer Identification Code Sequence"],
  ["0040A123", "PN", "D", "Person Name"],
  ["0040A124", "UI", "U", "UID"],
  ["0040A171", "UI", "U", "Observation UID"],
  ["0040A402", "UI", "U", "Observation Subject UID"],
  ["0040DB0C", "UI", "U", "Template Extension Organization UID"],
  ["0040DB0D", "UI", "U", "Template Extension Creator UID"],
  ["00700001", "SQ", "K", "Graphic Annotation Sequence"],
  ["00700084", "PN", "Z", "Content Creator's Name"],
  ["00700086", "SQ", "X", "Content Creator's Identification Code Sequence"],
  ["00880140", "UI", "U", "Storage Media File-set UID"],
  ["30060024", "UI", "U", "Referenced Frame of Reference UID"],
  ["300600C2", "UI", "U", "Related Frame of Reference UID"],
  ["300A0013", "UI", "U", "Dose Reference UID"],
  ["300E0008", "PN", "X", "Reviewer Name"],
  ["40000010", "LT", "X", "Arbitration"],
  ["40004000", "LT", "X", "Text Comments"],
  ["40080042", "LO", "X", "Results ID Issuer"],
  ["4008010C", "PN", "X", "Interpretation Author"],
  ["40080114", "PN", "X", "Physician Approving Interpretation"],
  ["40080119", "PN", "X", "Distribution Name"],
  ["4008011A", "LO", "X", "Distribution Address"],
  ["40084000", "ST", "X", "Results Comments"],
  ["FFFAFFFA", "SQ", "X", "Digital Signatures Sequence"],
  ["FFFCFFFC", "OB", "X", "Data Set Trailing Padding"],
  ["50xxxxxx", "OB", "X", "Curve Data"],
  ["60xx3000", "OB", "X", "Overlay Data"],
  ["60xx4000", "LT", "X", "Overlay Comments"],
];

export type ProfileEntry = { action: DeidAction; vr: string; name: string };

const exact = new Map<number, ProfileEntry>();
for (const [tag, vr, action, name] of PROFILE) if (!tag.includes("x")) exact.set(Number.parseInt(tag, 16) >>> 0, { action, vr, name });

export function profileEntry(tag: number): ProfileEntry | undefined {
  const found = exact.get(tag);
  if (found) return found;
  const group = tag >>> 16;
  if (group >= 0x5000 && group <= 0x50ff) return { action: "X", vr: "OB", name: "Curve Data" };
  if (group >= 0x6000 && group <= 0x60ff && (tag & 0xffff) === 0x3000) return { action: "X", vr: "OB", name: "Overlay Data" };
  if (group >= 0x6000 && group <= 0x60ff && (tag & 0xffff) === 0x4000) return { action: "X", vr: "LT", name: "Overlay Comments" };
  return undefined;
}

/** VRs of attributes the ingest reads or changes, for implicit-VR files (which do not carry them). */
const EXTRA_VRS: Record<string, string> = {
  "00020010": "UI", "00080005": "CS", "00080016": "UI", "00080060": "CS", "00080008": "CS", "00081115": "SQ", "00081140": "SQ", "00081150": "UI",
  "00120062": "CS", "00120063": "LO", "00120064": "SQ", "00180015": "CS", "00200011": "IS", "00200013": "IS", "00200032": "DS", "00200037": "DS",
  "00201041": "DS", "00280002": "US", "00280004": "CS", "00280008": "IS", "00280010": "US", "00280011": "US", "00280030": "DS", "00280100": "US",
  "00280101": "US", "00280102": "US", "00280103": "US", "00281050": "DS", "00281051": "DS", "00281052": "DS", "00281053": "DS", "00280301": "CS",
  "7FE00010": "OW", "00400260": "SQ", "00400270": "SQ", "00080100": "SH", "00080102": "SH", "00080104": "LO", "00540016": "SQ", "00081032": "SQ",
  "0040A730": "SQ", "0040A043": "SQ", "0040A168": "SQ", "00081199": "SQ", "00081250": "SQ", "00089215": "SQ", "00082112": "SQ", "00089121": "SQ",
  "00080012": "DA", "00080013": "TM", "00181012": "DA", "00181200": "DA", "00321040": "DA", "00321050": "DA", "00380020": "DA", "00380030": "DA",
  "00400002": "DA", "00400004": "DA", "00400250": "DA", "0040A032": "DT", "0040A120": "DT", "0040A121": "DA", "00181078": "DT", "00181079": "DT",
  "00080070": "LO", "00081090": "LO", "0040A123": "PN", "0040A160": "UT",
  "52009229": "SQ", "52009230": "SQ", "00209221": "SQ", "00209222": "SQ", "00189341": "SQ", "300A0010": "SQ", "300A00B0": "SQ", "30060010": "SQ",
};

export function dictionaryVr(tag: number): string {
  const key = (tag >>> 0).toString(16).toUpperCase().padStart(8, "0");
  return exact.get(tag)?.vr ?? EXTRA_VRS[key] ?? ((tag & 0xffff) === 0 ? "UL" : "UN");
}

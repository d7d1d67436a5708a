/**
 * Reads the measurements of a DICOM SR Imaging Measurement Report (TID 1500, PS3.16): each Measurement Group with its tracking
 * identifier and UID, finding and finding site, numeric measurements (concept, value, UCUM unit) and the spatial coordinates
 * they were made on, with the image (and frame) those coordinates refer to. Pure; bounded by the parser's limits and MAX_GROUPS.
 */
import { find, tagOf, TS, type Dataset, type Part10 } from "./part10";

/** The SR storage classes a case accepts and reads: Enhanced, Comprehensive and Comprehensive 3D SR, and Key Object Selection. */
export const SR_SOP_CLASSES = {
  enhanced: "1.2.840.10008.5.1.4.1.1.88.22",
  comprehensive: "1.2.840.10008.5.1.4.1.1.88.33",
  comprehensive3d: "1.2.840.10008.5.1.4.1.1.88.34",
  keyObjectSelection: "1.2.840.10008.5.1.4.1.1.88.59",
} as const;
const MEASUREMENT_REPORT_CLASSES: string[] = [SR_SOP_CLASSES.enhanced, SR_SOP_CLASSES.comprehensive, SR_SOP_CLASSES.comprehensive3d];
export const isMeasurementReportClass = (sopClassUid: string | null) => sopClassUid !== null && MEASUREMENT_REPORT_CLASSES.includes(sopClassUid);

/** Modalities of series that hold documents, not images (SR, key object selections): read in the viewer's report list, not as stacks. */
export const isDocumentModality = (modality: string | null) => modality === "SR" || modality === "KO";

export const MAX_GROUPS = 500;
const MAX_MEASUREMENTS_PER_GROUP = 100;

export type Code = { value: string; scheme: string; meaning: string };
export type SrGraphic = {
  /** SCOORD: image pixel coordinates (column, row); SCOORD3D: patient coordinates in mm. */
  kind: "SCOORD" | "SCOORD3D";
  type: string;
  points: number[][];
  /** The image the 2D coordinates lie on, and its frame (from 1) when it has several. */
  image: { sopInstanceUid: string; frame: number | null } | null;
  frameOfReferenceUid: string | null;
};
export type SrMeasurement = { concept: Code; value: number; unit: Code; modifiers: Code[]; graphic: SrGraphic | null };
export type SrMeasurementGroup = {
  trackingIdentifier: string | null;
  trackingUid: string | null;
  finding: Code | null;
  findingSite: Code | null;
  measurements: SrMeasurement[];
  /** The group's own region (TID 1410 Image Region), when its measurements have none of their own. */
  graphic: SrGraphic | null;
};
export type MeasurementReport = { title: Code | null; observer: string | null; groups: SrMeasurementGroup[] };

export const T = {
  valueType: tagOf(0x0040, 0xa040),
  relationship: tagOf(0x0040, 0xa010),
  conceptName: tagOf(0x0040, 0xa043),
  conceptCode: tagOf(0x0040, 0xa168),
  content: tagOf(0x0040, 0xa730),
  textValue: tagOf(0x0040, 0xa160),
  uid: tagOf(0x0040, 0xa124),
  personName: tagOf(0x0040, 0xa123),
  measuredValue: tagOf(0x0040, 0xa300),
  numericValue: tagOf(0x0040, 0xa30a),
  units: tagOf(0x0040, 0x08ea),
  graphicData: tagOf(0x0070, 0x0022),
  graphicType: tagOf(0x0070, 0x0023),
  frameOfReference: tagOf(0x3006, 0x0024),
  referencedSop: tagOf(0x0008, 0x1199),
  referencedSopClass: tagOf(0x0008, 0x1150),
  referencedSopInstance: tagOf(0x0008, 0x1155),
  referencedFrame: tagOf(0x0008, 0x1160),
  codeValue: tagOf(0x0008, 0x0100),
  codingScheme: tagOf(0x0008, 0x0102),
  codeMeaning: tagOf(0x0008, 0x0104),
  sopClass: tagOf(0x0008, 0x0016),
};

/** Concepts of TID 1500 and the templates it includes, matched by code value and scheme. */
export const CONCEPTS = {
  measurementReport: { value: "126000", scheme: "DCM", meaning: "Imaging Measurement Report" },
  imagingMeasurements: { value: "126010", scheme: "DCM", meaning: "Imaging Measurements" },
  measurementGroup: { value: "125007", scheme: "DCM", meaning: "Measurement Group" },
  trackingIdentifier: { value: "112039", scheme: "DCM", meaning: "Tracking Identifier" },
  trackingUid: { value: "112040", scheme: "DCM", meaning: "Tracking Unique Identifier" },
  finding: { value: "121071", scheme: "DCM", meaning: "Finding" },
  findingSite: { value: "363698007", scheme: "SCT", meaning: "Finding Site" },
  imageRegion: { value: "111030", scheme: "DCM", meaning: "Image Region" },
  personObserverName: { value: "121008", scheme: "DCM", meaning: "Person Observer Name" },
} as const satisfies Record<string, Code>;
/** Finding Site's code before SNOMED CT replaced SNOMED RT in DICOM (still in older reports, the corpus's among them). */
const FINDING_SITE_SRT = { value: "G-C0E3", scheme: "SRT" };

const decoder = new TextDecoder("utf-8");
const text = (dataset: Dataset, tag: number) => {
  const value = find(dataset, tag)?.value;
  return value ? decoder.decode(value).replace(/[\0 ]+$/, "") : null;
};
const items = (dataset: Dataset, tag: number) => find(dataset, tag)?.items ?? [];

function codeOf(item: Dataset | undefined): Code | null {
  if (!item) return null;
  const value = text(item, T.codeValue);
  const scheme = text(item, T.codingScheme);
  return value && scheme ? { value, scheme, meaning: text(item, T.codeMeaning) ?? "" } : null;
}

const is = (code: Code | null, concept: { value: string; scheme: string }) => code !== null && code.value === concept.value && code.scheme === concept.scheme;
const conceptOf = (item: Dataset) => codeOf(items(item, T.conceptName)[0]);
const valueTypeOf = (item: Dataset) => text(item, T.valueType);

function floats(dataset: Dataset, tag: number, littleEndian: boolean): number[] {
  const value = find(dataset, tag)?.value;
  if (!value) return [];
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  return Array.from({ length: Math.floor(value.length / 4) }, (_, i) => view.getFloat32(i * 4, littleEndian));
}

function graphicOf(item: Dataset, littleEndian: boolean): SrGraphic | null {
  const kind = valueTypeOf(item);
  if (kind !== "SCOORD" && kind !== "SCOORD3D") return null;
  const data = floats(item, T.graphicData, littleEndian);
  const size = kind === "SCOORD" ? 2 : 3;
  const points = Array.from({ length: Math.floor(data.length / size) }, (_, i) => data.slice(i * size, i * size + size));
  const selectedFrom = items(item, T.content).find((child) => valueTypeOf(child) === "IMAGE");
  const reference = selectedFrom && items(selectedFrom, T.referencedSop)[0];
  const sopInstanceUid = reference && text(reference, T.referencedSopInstance);
  const frame = reference && text(reference, T.referencedFrame);
  return {
    kind,
    type: text(item, T.graphicType) ?? "",
    points,
    image: sopInstanceUid ? { sopInstanceUid, frame: frame ? Number.parseInt(frame, 10) || null : null } : null,
    frameOfReferenceUid: text(item, T.frameOfReference),
  };
}

function measurementOf(item: Dataset, littleEndian: boolean): SrMeasurement | null {
  const concept = conceptOf(item);
  const measured = items(item, T.measuredValue)[0];
  const value = measured ? Number(text(measured, T.numericValue)) : Number.NaN;
  const unit = measured ? codeOf(items(measured, T.units)[0]) : null;
  if (!concept || !unit || !Number.isFinite(value)) return null;
  const children = items(item, T.content);
  const modifiers = children
    .filter((c) => valueTypeOf(c) === "CODE" && text(c, T.relationship) === "HAS CONCEPT MOD")
    .map((c) => codeOf(items(c, T.conceptCode)[0]));
  const graphic = children.map((c) => graphicOf(c, littleEndian)).find((g) => g !== null) ?? null;
  return { concept, value, unit, modifiers: modifiers.filter((m): m is Code => m !== null), graphic };
}

function groupOf(container: Dataset, littleEndian: boolean): SrMeasurementGroup {
  const group: SrMeasurementGroup = { trackingIdentifier: null, trackingUid: null, finding: null, findingSite: null, measurements: [], graphic: null };
  for (const item of items(container, T.content)) {
    const concept = conceptOf(item);
    const type = valueTypeOf(item);
    if (type === "TEXT" && is(concept, CONCEPTS.trackingIdentifier)) group.trackingIdentifier = text(item, T.textValue);
    else if (type === "UIDREF" && is(concept, CONCEPTS.trackingUid)) group.trackingUid = text(item, T.uid);
    else if (type === "CODE" && is(concept, CONCEPTS.finding)) group.finding = codeOf(items(item, T.conceptCode)[0]);
    else if (type === "CODE" && (is(concept, CONCEPTS.findingSite) || is(concept, FINDING_SITE_SRT))) group.findingSite = codeOf(items(item, T.conceptCode)[0]);
    else if (type === "NUM" && group.measurements.length < MAX_MEASUREMENTS_PER_GROUP) {
      const measurement = measurementOf(item, littleEndian);
      if (measurement) group.measurements.push(measurement);
    } else if (type === "SCOORD" || type === "SCOORD3D") group.graphic ??= graphicOf(item, littleEndian);
  }
  return group;
}

/** Every Measurement Group under the report's Imaging Measurements, in document order. */
export function readMeasurementReport(file: Part10): MeasurementReport {
  const littleEndian = file.transferSyntax !== TS.explicitBE;
  const root = file.dataset;
  const groups: SrMeasurementGroup[] = [];
  let observer: string | null = null;
  for (const item of items(root, T.content)) {
    const concept = conceptOf(item);
    if (valueTypeOf(item) === "PNAME" && is(concept, CONCEPTS.personObserverName)) observer ??= text(item, T.personName);
    if (!is(concept, CONCEPTS.imagingMeasurements)) continue;
    for (const child of items(item, T.content)) {
      if (groups.length < MAX_GROUPS && is(conceptOf(child), CONCEPTS.measurementGroup)) groups.push(groupOf(child, littleEndian));
    }
  }
  return { title: conceptOf(root), observer, groups };
}

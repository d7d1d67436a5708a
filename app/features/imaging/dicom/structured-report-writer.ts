/**
 * Writes the platform's own DICOM SR documents (PS3.3 A.35, PS3.16) with the Part 10 writer: the viewer's measurements as a
 * Comprehensive SR Imaging Measurement Report (TID 1500, one TID 1501 Measurement Group per measurement, each NUM inferred from
 * its SCOORD on the referenced image), and a study's key images as a Key Object Selection document (TID 2010, "Of Interest").
 * The patient and study attributes are copied from an instance the case already holds, so they are the de-identified ones.
 * Pure: the caller gives the new UIDs and the time.
 */
import { METHOD } from "./deid-profile";
import { concatBytes, find, tagOf, TS, type Dataset, type Element, type Part10 } from "./part10";
import { CONCEPTS, SR_SOP_CLASSES, T, type Code } from "./structured-report";

export type ReferencedImage = { sopClassUid: string; sopInstanceUid: string; seriesInstanceUid: string; frame: number | null };
export type ReportMeasurement = {
  trackingIdentifier: string;
  trackingUid: string;
  concept: Code;
  value: number;
  unit: Code;
  graphic: { type: "POLYLINE" | "ELLIPSE"; points: [number, number][] };
  image: ReferencedImage;
};
export type DocumentIds = { sopInstanceUid: string; seriesInstanceUid: string; seriesNumber: number; now: Date };

export const MEASUREMENT_CODES = {
  length: { value: "410668003", scheme: "SCT", meaning: "Length" },
  area: { value: "42798000", scheme: "SCT", meaning: "Area" },
  angle: { value: "1483009", scheme: "SCT", meaning: "Angle" },
} as const satisfies Record<string, Code>;
export const UCUM = {
  mm: { value: "mm", scheme: "UCUM", meaning: "millimeter" },
  mm2: { value: "mm2", scheme: "UCUM", meaning: "square millimeter" },
  deg: { value: "deg", scheme: "UCUM", meaning: "degree" },
} as const satisfies Record<string, Code>;
const CODES = {
  observerType: { value: "121005", scheme: "DCM", meaning: "Observer Type" },
  person: { value: "121006", scheme: "DCM", meaning: "Person" },
  procedureReported: { value: "121058", scheme: "DCM", meaning: "Procedure reported" },
  imagingProcedure: { value: "363679005", scheme: "SCT", meaning: "Imaging procedure" },
  imageLibrary: { value: "111028", scheme: "DCM", meaning: "Image Library" },
  imageLibraryGroup: { value: "126200", scheme: "DCM", meaning: "Image Library Group" },
  ofInterest: { value: "113000", scheme: "DCM", meaning: "Of Interest" },
  keyObjectDescription: { value: "113012", scheme: "DCM", meaning: "Key Object Description" },
} as const satisfies Record<string, Code>;

const utf8 = new TextEncoder();
/** A text value in UTF-8 (the documents declare ISO_IR 192), padded to even length (UIDs with NUL, others with a space). */
function encoded(value: string, vr: string): Uint8Array {
  const bytes = utf8.encode(value);
  return bytes.length % 2 === 0 ? bytes : concatBytes([bytes, Uint8Array.of(vr === "UI" ? 0 : 0x20)]);
}
const el = (tag: number, vr: string, value: string): Element => ({ tag, vr, value: encoded(value, vr) });
const sq = (tag: number, items: Dataset[]): Element => ({ tag, vr: "SQ", value: null, items });
const codeItem = (code: Code): Dataset => [el(T.codeValue, "SH", code.value), el(T.codingScheme, "SH", code.scheme), el(T.codeMeaning, "LO", code.meaning)];
const floats = (tag: number, values: number[]): Element => {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { tag, vr: "FL", value: bytes };
};

const t = (g: number, e: number) => tagOf(g, e);
const TAGS = {
  charset: t(0x0008, 0x0005),
  instanceCreationDate: t(0x0008, 0x0012),
  instanceCreationTime: t(0x0008, 0x0013),
  sopInstance: t(0x0008, 0x0018),
  seriesDate: t(0x0008, 0x0021),
  contentDate: t(0x0008, 0x0023),
  seriesTime: t(0x0008, 0x0031),
  contentTime: t(0x0008, 0x0033),
  modality: t(0x0008, 0x0060),
  manufacturer: t(0x0008, 0x0070),
  seriesDescription: t(0x0008, 0x103e),
  referencedPps: t(0x0008, 0x1111),
  referencedSeries: t(0x0008, 0x1115),
  seriesInstance: t(0x0020, 0x000e),
  studyInstance: t(0x0020, 0x000d),
  seriesNumber: t(0x0020, 0x0011),
  instanceNumber: t(0x0020, 0x0013),
  completionFlag: t(0x0040, 0xa491),
  verificationFlag: t(0x0040, 0xa493),
  continuity: t(0x0040, 0xa050),
  templateSequence: t(0x0040, 0xa504),
  mappingResource: t(0x0008, 0x0105),
  templateIdentifier: t(0x0040, 0xdb00),
  performedProcedureCode: t(0x0040, 0xa372),
  currentEvidence: t(0x0040, 0xa375),
};

/** Patient, study and de-identification attributes kept from the source instance; type 2 ones are written empty when absent. */
const COPIED: [tag: number, vr: string, type2: boolean][] = [
  [t(0x0008, 0x0020), "DA", true],
  [t(0x0008, 0x0030), "TM", true],
  [t(0x0008, 0x0050), "SH", true],
  [t(0x0008, 0x0090), "PN", true],
  [t(0x0008, 0x1030), "LO", false],
  [t(0x0010, 0x0010), "PN", true],
  [t(0x0010, 0x0020), "LO", true],
  [t(0x0010, 0x0030), "DA", true],
  [t(0x0010, 0x0040), "CS", true],
  [t(0x0012, 0x0062), "CS", false],
  [t(0x0012, 0x0064), "SQ", false],
  [t(0x0020, 0x000d), "UI", false],
  [t(0x0020, 0x0010), "SH", true],
  [t(0x0028, 0x0303), "CS", false],
];
const isAscii = (value: Uint8Array) => value.every((b) => b < 0x80);

function copiedFrom(source: Dataset): Dataset {
  const out: Dataset = [];
  for (const [tag, vr, type2] of COPIED) {
    const element = find(source, tag);
    // Text in another character set would be misread under ISO_IR 192; the de-identified values are ASCII anyway.
    if (element && (element.items || (element.value && isAscii(element.value)))) out.push(element);
    else if (type2) out.push({ tag, vr, value: new Uint8Array() });
  }
  out.push(el(t(0x0012, 0x0063), "LO", METHOD));
  return out;
}

const dicomDate = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");
const dicomTime = (d: Date) => d.toISOString().slice(11, 19).replace(/:/g, "");
/** PN components are separated by ^ and values by \: a display name is one family-name component without them. */
const personName = (name: string) =>
  name
    .replace(/[\\^=]/g, " ")
    .trim()
    .slice(0, 64);

/** A content item: its relationship to its parent, value type, concept name, then its value's elements and children. */
function item(relationship: string, valueType: string, concept: Code | null, value: Element[], children: Dataset[] = []): Dataset {
  return [
    el(T.relationship, "CS", relationship),
    el(T.valueType, "CS", valueType),
    ...(concept ? [sq(T.conceptName, [codeItem(concept)])] : []),
    ...value,
    ...(children.length > 0 ? [sq(T.content, children)] : []),
  ];
}
const codeContent = (relationship: string, concept: Code, code: Code) => item(relationship, "CODE", concept, [sq(T.conceptCode, [codeItem(code)])]);
function imageReference(image: ReferencedImage): Element {
  return sq(T.referencedSop, [
    [
      el(T.referencedSopClass, "UI", image.sopClassUid),
      el(T.referencedSopInstance, "UI", image.sopInstanceUid),
      ...(image.frame !== null ? [el(T.referencedFrame, "IS", String(image.frame))] : []),
    ],
  ]);
}
const imageContent = (relationship: string, image: ReferencedImage) => item(relationship, "IMAGE", null, [imageReference(image)]);
const number = (value: number) => {
  const text = String(Number(value.toPrecision(10)));
  return text.length <= 16 ? text : value.toExponential(8);
};

/** Current Requested Procedure Evidence: every referenced instance, by series, in the one study. */
function evidence(studyInstanceUid: string, images: ReferencedImage[]): Element {
  const bySeries = new Map<string, ReferencedImage[]>();
  for (const image of images) bySeries.set(image.seriesInstanceUid, [...(bySeries.get(image.seriesInstanceUid) ?? []), image]);
  const series = [...bySeries].map(([seriesUid, list]) => [
    sq(
      T.referencedSop,
      [...new Map(list.map((i) => [i.sopInstanceUid, i])).values()].map((i) => [
        el(T.referencedSopClass, "UI", i.sopClassUid),
        el(T.referencedSopInstance, "UI", i.sopInstanceUid),
      ]),
    ),
    el(TAGS.seriesInstance, "UI", seriesUid),
  ]);
  return sq(TAGS.currentEvidence, [[sq(TAGS.referencedSeries, series), el(TAGS.studyInstance, "UI", studyInstanceUid)]]);
}

function document(
  source: Dataset,
  ids: DocumentIds,
  kind: { sopClassUid: string; modality: string; seriesDescription: string; title: Code; template: string },
  content: Dataset[],
  images: ReferencedImage[],
  extra: Element[],
): Part10 {
  const date = dicomDate(ids.now);
  const time = dicomTime(ids.now);
  const studyInstanceUid = find(source, TAGS.studyInstance)?.value;
  const dataset: Dataset = [
    el(TAGS.charset, "CS", "ISO_IR 192"),
    el(TAGS.instanceCreationDate, "DA", date),
    el(TAGS.instanceCreationTime, "TM", time),
    el(T.sopClass, "UI", kind.sopClassUid),
    el(TAGS.sopInstance, "UI", ids.sopInstanceUid),
    el(TAGS.seriesDate, "DA", date),
    el(TAGS.contentDate, "DA", date),
    el(TAGS.seriesTime, "TM", time),
    el(TAGS.contentTime, "TM", time),
    el(TAGS.modality, "CS", kind.modality),
    el(TAGS.manufacturer, "LO", "Tumor Board"),
    el(TAGS.seriesDescription, "LO", kind.seriesDescription),
    sq(TAGS.referencedPps, []),
    ...copiedFrom(source),
    el(TAGS.seriesInstance, "UI", ids.seriesInstanceUid),
    el(TAGS.seriesNumber, "IS", String(ids.seriesNumber)),
    el(TAGS.instanceNumber, "IS", "1"),
    el(T.valueType, "CS", "CONTAINER"),
    sq(T.conceptName, [codeItem(kind.title)]),
    el(TAGS.continuity, "CS", "SEPARATE"),
    sq(TAGS.templateSequence, [[el(TAGS.mappingResource, "CS", "DCMR"), el(TAGS.templateIdentifier, "CS", kind.template)]]),
    sq(T.content, content),
    evidence(studyInstanceUid ? new TextDecoder().decode(studyInstanceUid).replace(/\0+$/, "") : "", images),
    ...extra,
  ];
  const meta: Dataset = [
    { tag: t(0x0002, 0x0001), vr: "OB", value: Uint8Array.of(0, 1) },
    el(t(0x0002, 0x0002), "UI", kind.sopClassUid),
    el(t(0x0002, 0x0003), "UI", ids.sopInstanceUid),
    el(t(0x0002, 0x0010), "UI", TS.explicitLE),
    el(t(0x0002, 0x0012), "UI", "1.2.826.0.1.3680043.10.1453.1"),
  ];
  return { meta, dataset, transferSyntax: TS.explicitLE };
}

/** The viewer's measurements of one study as a TID 1500 Imaging Measurement Report by `observer`. */
export function measurementReportDocument(source: Dataset, ids: DocumentIds, observer: string, measurements: ReportMeasurement[]): Part10 {
  const images = [...new Map(measurements.map((m) => [`${m.image.sopInstanceUid}/${m.image.frame}`, m.image])).values()];
  const groups = measurements.map((m) =>
    item(
      "CONTAINS",
      "CONTAINER",
      CONCEPTS.measurementGroup,
      [el(TAGS.continuity, "CS", "SEPARATE")],
      [
        item("HAS OBS CONTEXT", "TEXT", CONCEPTS.trackingIdentifier, [el(T.textValue, "UT", m.trackingIdentifier)]),
        item("HAS OBS CONTEXT", "UIDREF", CONCEPTS.trackingUid, [el(T.uid, "UI", m.trackingUid)]),
        item(
          "CONTAINS",
          "NUM",
          m.concept,
          [sq(T.measuredValue, [[sq(T.units, [codeItem(m.unit)]), el(T.numericValue, "DS", number(m.value))]])],
          [
            item(
              "INFERRED FROM",
              "SCOORD",
              null,
              [floats(T.graphicData, m.graphic.points.flat()), el(T.graphicType, "CS", m.graphic.type)],
              [imageContent("SELECTED FROM", m.image)],
            ),
          ],
        ),
      ],
    ),
  );
  const content = [
    codeContent("HAS OBS CONTEXT", CODES.observerType, CODES.person),
    item("HAS OBS CONTEXT", "PNAME", CONCEPTS.personObserverName, [el(T.personName, "PN", personName(observer))]),
    codeContent("HAS CONCEPT MOD", CODES.procedureReported, CODES.imagingProcedure),
    item(
      "CONTAINS",
      "CONTAINER",
      CODES.imageLibrary,
      [el(TAGS.continuity, "CS", "SEPARATE")],
      [
        item(
          "CONTAINS",
          "CONTAINER",
          CODES.imageLibraryGroup,
          [el(TAGS.continuity, "CS", "SEPARATE")],
          images.map((i) => imageContent("CONTAINS", i)),
        ),
      ],
    ),
    item("CONTAINS", "CONTAINER", CONCEPTS.imagingMeasurements, [el(TAGS.continuity, "CS", "SEPARATE")], groups),
  ];
  return document(
    source,
    ids,
    { sopClassUid: SR_SOP_CLASSES.comprehensive, modality: "SR", seriesDescription: "Measurements", title: CONCEPTS.measurementReport, template: "1500" },
    content,
    images,
    [el(TAGS.completionFlag, "CS", "COMPLETE"), el(TAGS.verificationFlag, "CS", "UNVERIFIED"), sq(TAGS.performedProcedureCode, [])],
  );
}

/** A study's key images as one Key Object Selection document (TID 2010, "Of Interest"), their notes as its description. */
export function keyObjectDocument(source: Dataset, ids: DocumentIds, images: (ReferencedImage & { note: string })[]): Part10 {
  const unique = [...new Map(images.map((i) => [`${i.sopInstanceUid}/${i.frame}`, i])).values()];
  const description = images
    .map((i) => i.note)
    .join("\n")
    .slice(0, 10_000);
  const content = [
    ...(description ? [item("CONTAINS", "TEXT", CODES.keyObjectDescription, [el(T.textValue, "UT", description)])] : []),
    ...unique.map((i) => imageContent("CONTAINS", i)),
  ];
  return document(
    source,
    ids,
    { sopClassUid: SR_SOP_CLASSES.keyObjectSelection, modality: "KO", seriesDescription: "Key images", title: CODES.ofInterest, template: "2010" },
    content,
    unique,
    [],
  );
}

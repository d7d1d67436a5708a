/**
 * What of a slide scanner's text survives cleaning. Readers (OpenSlide, libvips) need the vendor's structure and the
 * scan's geometry and optics; nothing else is kept. Each rule keeps a value only when it is a number or one of a fixed
 * vocabulary, never free text, so a name or a number typed into any field cannot pass: what is not recognised goes.
 */

/**
 * A number as scanners write geometry: no leading zeros (a patient number is often written with them), at most ten digits
 * before the point. Optics (objective power, aperture, pixel size in µm or mm) have at most three. Lists are of at most
 * sixteen such numbers, only where the vendor writes lists.
 */
const NUMBER = /^-?(0|[1-9]\d{0,9})(\.\d{1,12})?([eE][-+]?\d{1,3})?$/;
const OPTIC = /^(0|[1-9]\d{0,2})(\.\d{1,12})?$/;
const isNumber = (value: string) => NUMBER.test(value.replace(/"/g, "").trim());
const isOptic = (value: string) => OPTIC.test(value.replace(/"/g, "").trim());
const isNumbers = (value: string) => {
  const numbers = value
    .replace(/"/g, " ")
    .trim()
    .split(/[\s,;]+/);
  return numbers.length <= 16 && numbers.every((n) => NUMBER.test(n));
};
const oneOf = (...words: string[]) => {
  const set = new Set(words);
  return (value: string) => set.has(value.replace(/"/g, "").trim());
};

/**
 * Aperio's description reduced to its library line, the associated image's kind, and the objective power and pixel size,
 * in the longest of its forms that fits in `room` characters (the cleaning never moves bytes).
 */
export function cleanAperioDescription(text: string, room = Infinity): string {
  const [head, ...pairs] = text.replace(/\0+$/, "").split("|");
  const kind = /\n\s*(label|macro)\b/i.exec(head)?.[1]?.toLowerCase();
  const kept = pairs.map((pair) => /^\s*(AppMag|MPP)\s*=\s*(\S+)\s*$/.exec(pair)).filter((m): m is RegExpExecArray => m !== null && isOptic(m[2]));
  const forms = [
    `Aperio Image Library\n${kind ?? ""}${kept.map((m) => `|${m[1]} = ${m[2]}`).join("")}`,
    `Aperio${kind ? `\n${kind}` : ""}${kept.map((m) => `|${m[1]}=${m[2]}`).join("")}`,
    kind ? `Aperio\n${kind}` : "Aperio",
  ];
  return forms.find((form) => form.length <= room) ?? "";
}

/** Ventana names its directories: pyramid levels ("level=0 mag=40 quality=90"), the label, thumbnail and probability map. */
export function cleanVentanaDescription(text: string): string {
  const value = text.replace(/\0+$/, "").trim();
  return /^(level=\d+ mag=[\d.]+ quality=\d+|Label[ _]Image|Thumbnail|Probability_Image)$/.test(value) ? value : "";
}

const TRESTLE_KEYS: Record<string, (value: string) => boolean> = {
  "Background Color": (v) => /^[0-9A-Fa-f]{6}$/.test(v),
  "White Balance": (v) => /^[0-9A-Fa-f]{6}$/.test(v),
  "Objective Power": isOptic,
  "JPEG Quality": isNumber,
  OverlapsXY: isNumbers,
};

/** Trestle's semicolon-separated key=value description, reduced to its colour, optics and tile overlaps. */
export function cleanTrestleDescription(text: string): string {
  return text
    .replace(/\0+$/, "")
    .split(";")
    .map((pair) => /^([^=]*)=(.*)$/.exec(pair))
    .filter((m): m is RegExpExecArray => m !== null && TRESTLE_KEYS[m[1]]?.(m[2]) === true)
    .map((m) => `${m[1]}=${m[2]}`)
    .join(";");
}

const SCANNER_WORDS =
  /^(Aperio|Leica|Hamamatsu|NanoZoomer|Philips|Ventana|Roche|MedScan|3DHistech|Zeiss|Olympus|Motic|KFBio|Sakura|Huron|Grundium|Mikroscan|Akoya|PerkinElmer|Optra|libvips|ImageMagick|libtiff)\b/i;

/**
 * Make, Model and Software: only the scanner vendor's name, from a fixed list. OpenSlide tells Philips and Trestle files
 * by the start of Software; a model, serial or version string is not needed and is not kept.
 */
export function cleanScannerText(text: string): string {
  return SCANNER_WORDS.exec(text.replace(/\0+$/, ""))?.[1] ?? "";
}

type Check = (value: string) => boolean;

/**
 * The XML vocabularies of Leica SCN, Philips TIFF, OME-TIFF and Ventana BIF: the elements kept (any other is dropped with
 * what it contains), the attributes kept with the check their value must pass, the elements whose text is kept.
 */
const XML_ELEMENTS = new Set([
  // Leica SCN
  "scn",
  "collection",
  "image",
  "pixels",
  "dimension",
  "view",
  "scanSettings",
  "objectiveSettings",
  "objective",
  "illuminationSettings",
  "numericalAperture",
  "illuminationSource",
  // Philips
  "DataObject",
  "Attribute",
  "Array",
  // OME
  "OME",
  "Image",
  "Pixels",
  "Channel",
  "TiffData",
  "Plane",
  "Instrument",
  "Objective",
  "ObjectiveSettings",
  // Ventana
  "Metadata",
  "iScan",
  "EncodeInfo",
  "SlideInfo",
  "SlideStitchInfo",
  "ImageInfo",
  "TileJointInfo",
  "AoiOrigin",
  "AoiInfo",
  "Frame",
]);
const isAoiElement = (name: string) => /^AOI\d{1,4}$/.test(name);

const XML_ATTRIBUTES: Record<string, Check> = {
  // Leica
  sizeX: isNumber,
  sizeY: isNumber,
  offsetX: isNumber,
  offsetY: isNumber,
  spacingZ: isNumber,
  ifd: isNumber,
  r: isNumber,
  c: isNumber,
  z: isNumber,
  // Philips
  ObjectType: oneOf("DPUfsImport", "DPScannedImage", "PixelDataRepresentation"),
  PMSVR: (v) => /^I[A-Za-z]{1,32}$/.test(v),
  Group: (v) => /^0x[0-9A-Fa-f]{4}$/.test(v),
  Element: (v) => /^0x[0-9A-Fa-f]{4}$/.test(v),
  // OME
  ID: (v) => /^[A-Za-z]{1,16}:\d{1,4}(:\d{1,4}){0,3}$/.test(v),
  DimensionOrder: (v) => /^[XYZCT]{5}$/.test(v),
  Type: oneOf("int8", "int16", "int32", "uint8", "uint16", "uint32", "float", "double", "bit"),
  SizeX: isNumber,
  SizeY: isNumber,
  SizeZ: isNumber,
  SizeC: isNumber,
  SizeT: isNumber,
  PhysicalSizeX: isNumber,
  PhysicalSizeY: isNumber,
  PhysicalSizeZ: isNumber,
  PhysicalSizeXUnit: oneOf("µm", "um", "nm", "mm", "cm", "m"),
  PhysicalSizeYUnit: oneOf("µm", "um", "nm", "mm", "cm", "m"),
  PhysicalSizeZUnit: oneOf("µm", "um", "nm", "mm", "cm", "m"),
  SamplesPerPixel: isNumber,
  SignificantBits: isNumber,
  BigEndian: oneOf("true", "false"),
  Interleaved: oneOf("true", "false"),
  IFD: isNumber,
  PlaneCount: isNumber,
  FirstC: isNumber,
  FirstZ: isNumber,
  FirstT: isNumber,
  TheC: isNumber,
  TheZ: isNumber,
  TheT: isNumber,
  NominalMagnification: isOptic,
  LensNA: isOptic,
  // Ventana
  Ver: isNumber,
  Magnification: isOptic,
  ScanRes: isOptic,
  "Z-layers": isNumber,
  "Z-spacing": isNumber,
  AOIScanned: isNumber,
  AOIIndex: isNumber,
  NumRows: isNumber,
  NumCols: isNumber,
  Width: isNumber,
  Height: isNumber,
  "Pos-X": isNumber,
  "Pos-Y": isNumber,
  OriginX: isNumber,
  OriginY: isNumber,
  Left: isNumber,
  Top: isNumber,
  Right: isNumber,
  Bottom: isNumber,
  Tile1: isNumber,
  Tile2: isNumber,
  Direction: oneOf("RIGHT", "LEFT", "UP", "DOWN"),
  OverlapX: isNumber,
  OverlapY: isNumber,
  Confidence: isNumber,
  FlagJoined: isNumber,
};

/** Namespaces the vendors' readers look for. */
const XML_NAMESPACES = [/^http:\/\/www\.leica-microsystems\.com\/scn\/\d{4}\/\d{2}\/\d{2}$/, /^http:\/\/www\.openmicroscopy\.org\/Schemas\/OME\/\d{4}-\d{2}$/];

/** Elements whose text is kept, with its check. */
const XML_TEXT: Record<string, Check> = {
  objective: isOptic,
  numericalAperture: isOptic,
  illuminationSource: oneOf("brightfield", "fluorescence"),
};

/** Philips keeps its values in `<Attribute Name="…">` elements, named after DICOM attributes: these are kept. */
const PHILIPS_VALUES: Record<string, Check> = {
  DICOM_PIXEL_SPACING: isNumbers,
  PIM_DP_IMAGE_TYPE: oneOf("WSI", "LABELIMAGE", "MACROIMAGE"),
  PIM_DP_IMAGE_ROWS: isNumber,
  PIM_DP_IMAGE_COLUMNS: isNumber,
  PIM_DP_SCANNED_IMAGES: () => false,
  PIIM_PIXEL_DATA_REPRESENTATION_SEQUENCE: () => false,
  PIIM_PIXEL_DATA_REPRESENTATION_NUMBER: isNumber,
  PIIM_PIXEL_DATA_REPRESENTATION_COLUMNS: isNumber,
  PIIM_PIXEL_DATA_REPRESENTATION_ROWS: isNumber,
  DICOM_BITS_ALLOCATED: isNumber,
  DICOM_BITS_STORED: isNumber,
  DICOM_HIGH_BIT: isNumber,
  DICOM_SAMPLES_PER_PIXEL: isNumber,
  DICOM_PIXEL_REPRESENTATION: isNumber,
  DICOM_PLANAR_CONFIGURATION: isNumber,
  DICOM_PHOTOMETRIC_INTERPRETATION: oneOf("RGB", "MONOCHROME1", "MONOCHROME2", "YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT"),
  DICOM_LOSSY_IMAGE_COMPRESSION: oneOf("00", "01"),
  DICOM_LOSSY_IMAGE_COMPRESSION_RATIO: isNumber,
};

const NAME = String.raw`[\p{L}_:][\p{L}\p{N}\p{M}_:.\-]*`;
const XML_TOKEN = new RegExp(
  String.raw`<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<\/(${NAME})\s*>|<(${NAME})((?:\s+${NAME}\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|[^<]+`,
  "guy",
);
const XML_ATTRIBUTE = new RegExp(String.raw`(${NAME})\s*=\s*(?:"([^"]*)"|'([^']*)')`, "gu");
const escapeText = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const escapeXml = (value: string) => escapeText(value).replace(/"/g, "&quot;");
const unescapeXml = (value: string) =>
  value.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[name] ?? "");

/**
 * An XML description or XMP packet reduced to the vendors' vocabulary: the elements, attributes and values above, in the
 * same structure; comments, processing instructions other than the declaration, CDATA and everything else dropped. Null
 * when the text is not XML this can read.
 */
export function reduceXml(text: string): string | null {
  const source = text.replace(/\0+$/, "");
  const out: string[] = [];
  const open: { name: string; kept: boolean; text: Check | null }[] = [];
  let dropping = 0; // depth inside a dropped element
  let read = 0;
  XML_TOKEN.lastIndex = 0;
  for (let match = XML_TOKEN.exec(source); match; match = XML_TOKEN.exec(source)) {
    const [token, closing, name, attributes, selfClosing] = match;
    read = match.index + token.length;
    if (closing !== undefined) {
      const element = open.pop();
      if (!element || element.name !== closing) return null;
      if (dropping > 0) dropping--;
      else out.push(`</${closing}>`);
      continue;
    }
    if (name !== undefined) {
      const kept = dropping === 0 && keptElement(name, attributes);
      if (kept) out.push(`<${name}${keptAttributes(attributes)}${selfClosing ? "/" : ""}>`);
      if (selfClosing) continue;
      if (!kept) dropping++;
      open.push({ name, kept, text: kept ? textCheck(name, attributes) : null });
      continue;
    }
    if (token.startsWith("<?xml ")) {
      if (out.length === 0) out.push('<?xml version="1.0"?>');
      continue;
    }
    if (token.startsWith("<")) continue; // comments, CDATA, other instructions and declarations
    const check = open.at(-1)?.text;
    const value = unescapeXml(token);
    if (dropping === 0 && check && value.trim() !== "" && check(value)) out.push(escapeText(value));
  }
  if (read !== source.length || open.length > 0) return null; // stopped before the end, or left elements open
  const reduced = out.join("");
  return reduced.length <= source.length ? reduced : "";
}

const attributesOf = (attributes: string) => Array.from(attributes.matchAll(XML_ATTRIBUTE), (m) => [m[1], unescapeXml(m[2] ?? m[3])] as const);

function keptElement(name: string, attributes: string): boolean {
  if (name === "Attribute") {
    const key = attributesOf(attributes).find(([attribute]) => attribute === "Name")?.[1];
    return key !== undefined && key in PHILIPS_VALUES;
  }
  return XML_ELEMENTS.has(name) || isAoiElement(name);
}

function keptAttributes(attributes: string): string {
  return attributesOf(attributes)
    .filter(([name, value]) => {
      if (name === "xmlns") return XML_NAMESPACES.some((ns) => ns.test(value));
      if (name === "Name") return value in PHILIPS_VALUES;
      return XML_ATTRIBUTES[name]?.(value) === true;
    })
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join("");
}

function textCheck(name: string, attributes: string): Check | null {
  if (name === "Attribute") return PHILIPS_VALUES[attributesOf(attributes).find(([attribute]) => attribute === "Name")?.[1] ?? ""] ?? null;
  return XML_TEXT[name] ?? null;
}

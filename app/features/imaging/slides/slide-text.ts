/**
 * What of a slide scanner's text survives cleaning. Readers (OpenSlide, libvips) need the vendor's structure and the
 * scan's geometry and optics; nothing else is kept. Each rule keeps a value only when it is a number or one of a fixed
 * vocabulary, never free text, so a name or a number typed into any field cannot pass: what is not recognised goes.
 */

const NUMBERS = /^[\s"]*[-+]?\d+(\.\d+)?([eE][-+]?\d+)?([\s",;]+[-+]?\d+(\.\d+)?([eE][-+]?\d+)?)*[\s"]*$/;
const isNumbers = (value: string) => NUMBERS.test(value);
const oneOf = (...words: string[]) => {
  const set = new Set(words);
  return (value: string) => set.has(value.replace(/"/g, "").trim());
};

/** Aperio's description reduced to its library line, the associated image's kind, and the objective power and pixel size. */
export function cleanAperioDescription(text: string): string {
  const [head, ...pairs] = text.replace(/\0+$/, "").split("|");
  const kind = /\n\s*(label|macro)\b/i.exec(head)?.[1]?.toLowerCase();
  const kept = pairs
    .map((pair) => /^\s*(AppMag|MPP)\s*=\s*([0-9.]+)\s*$/.exec(pair))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `|${m[1]} = ${m[2]}`);
  return `Aperio Image Library\n${kind ?? ""}${kept.join("")}`;
}

/** Ventana names its directories: pyramid levels ("level=0 mag=40 quality=90"), the label, thumbnail and probability map. */
export function cleanVentanaDescription(text: string): string {
  const value = text.replace(/\0+$/, "").trim();
  return /^(level=\d+ mag=[\d.]+ quality=\d+|Label[ _]Image|Thumbnail|Probability_Image)$/.test(value) ? value : "";
}

const TRESTLE_KEYS: Record<string, (value: string) => boolean> = {
  "Background Color": (v) => /^[0-9A-Fa-f]{6}$/.test(v),
  "White Balance": (v) => /^[0-9A-Fa-f]{6}$/.test(v),
  "Objective Power": isNumbers,
  "JPEG Quality": isNumbers,
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
  sizeX: isNumbers,
  sizeY: isNumbers,
  offsetX: isNumbers,
  offsetY: isNumbers,
  spacingZ: isNumbers,
  ifd: isNumbers,
  r: isNumbers,
  c: isNumbers,
  z: isNumbers,
  // Philips
  ObjectType: oneOf("DPUfsImport", "DPScannedImage", "PixelDataRepresentation"),
  PMSVR: (v) => /^I[A-Za-z]{1,32}$/.test(v),
  Group: (v) => /^0x[0-9A-Fa-f]{4}$/.test(v),
  Element: (v) => /^0x[0-9A-Fa-f]{4}$/.test(v),
  // OME
  ID: (v) => /^[A-Za-z]+:\d+(:\d+)*$/.test(v),
  DimensionOrder: (v) => /^[XYZCT]{5}$/.test(v),
  Type: oneOf("int8", "int16", "int32", "uint8", "uint16", "uint32", "float", "double", "bit"),
  SizeX: isNumbers,
  SizeY: isNumbers,
  SizeZ: isNumbers,
  SizeC: isNumbers,
  SizeT: isNumbers,
  PhysicalSizeX: isNumbers,
  PhysicalSizeY: isNumbers,
  PhysicalSizeZ: isNumbers,
  PhysicalSizeXUnit: oneOf("µm", "um", "nm", "mm", "cm", "m"),
  PhysicalSizeYUnit: oneOf("µm", "um", "nm", "mm", "cm", "m"),
  PhysicalSizeZUnit: oneOf("µm", "um", "nm", "mm", "cm", "m"),
  SamplesPerPixel: isNumbers,
  SignificantBits: isNumbers,
  BigEndian: oneOf("true", "false"),
  Interleaved: oneOf("true", "false"),
  IFD: isNumbers,
  PlaneCount: isNumbers,
  FirstC: isNumbers,
  FirstZ: isNumbers,
  FirstT: isNumbers,
  TheC: isNumbers,
  TheZ: isNumbers,
  TheT: isNumbers,
  NominalMagnification: isNumbers,
  LensNA: isNumbers,
  // Ventana
  Ver: isNumbers,
  Magnification: isNumbers,
  ScanRes: isNumbers,
  "Z-layers": isNumbers,
  "Z-spacing": isNumbers,
  AOIScanned: isNumbers,
  AOIIndex: isNumbers,
  NumRows: isNumbers,
  NumCols: isNumbers,
  Width: isNumbers,
  Height: isNumbers,
  "Pos-X": isNumbers,
  "Pos-Y": isNumbers,
  OriginX: isNumbers,
  OriginY: isNumbers,
  Left: isNumbers,
  Top: isNumbers,
  Right: isNumbers,
  Bottom: isNumbers,
  Tile1: isNumbers,
  Tile2: isNumbers,
  Direction: oneOf("RIGHT", "LEFT", "UP", "DOWN"),
  OverlapX: isNumbers,
  OverlapY: isNumbers,
  Confidence: isNumbers,
  FlagJoined: isNumbers,
};

/** Namespaces the vendors' readers look for. */
const XML_NAMESPACES = [/^http:\/\/www\.leica-microsystems\.com\/scn\/\d{4}\/\d{2}\/\d{2}$/, /^http:\/\/www\.openmicroscopy\.org\/Schemas\/OME\/\d{4}-\d{2}$/];

/** Elements whose text is kept, with its check. */
const XML_TEXT: Record<string, Check> = {
  objective: isNumbers,
  numericalAperture: isNumbers,
  illuminationSource: oneOf("brightfield", "fluorescence"),
};

/** Philips keeps its values in `<Attribute Name="…">` elements, named after DICOM attributes: these are kept. */
const PHILIPS_VALUES: Record<string, Check> = {
  DICOM_PIXEL_SPACING: isNumbers,
  PIM_DP_IMAGE_TYPE: oneOf("WSI", "LABELIMAGE", "MACROIMAGE"),
  PIM_DP_IMAGE_ROWS: isNumbers,
  PIM_DP_IMAGE_COLUMNS: isNumbers,
  PIM_DP_SCANNED_IMAGES: () => false,
  PIIM_PIXEL_DATA_REPRESENTATION_SEQUENCE: () => false,
  PIIM_PIXEL_DATA_REPRESENTATION_NUMBER: isNumbers,
  PIIM_PIXEL_DATA_REPRESENTATION_COLUMNS: isNumbers,
  PIIM_PIXEL_DATA_REPRESENTATION_ROWS: isNumbers,
  DICOM_BITS_ALLOCATED: isNumbers,
  DICOM_BITS_STORED: isNumbers,
  DICOM_HIGH_BIT: isNumbers,
  DICOM_SAMPLES_PER_PIXEL: isNumbers,
  DICOM_PIXEL_REPRESENTATION: isNumbers,
  DICOM_PLANAR_CONFIGURATION: isNumbers,
  DICOM_PHOTOMETRIC_INTERPRETATION: oneOf("RGB", "MONOCHROME1", "MONOCHROME2", "YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT"),
  DICOM_LOSSY_IMAGE_COMPRESSION: oneOf("00", "01"),
  DICOM_LOSSY_IMAGE_COMPRESSION_RATIO: isNumbers,
};

const XML_TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<![A-Za-z][^>]*>|<\/([A-Za-z_][\w:.-]*)\s*>|<([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|[^<]+/gy;
const XML_ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const escapeText = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const escapeXml = (value: string) => escapeText(value).replace(/"/g, "&quot;");
const unescapeXml = (value: string) =>
  value.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[name] ?? "");

/**
 * An XML description or XMP packet reduced to the vendors' vocabulary: the elements, attributes and values above, in the
 * same structure; comments, processing instructions other than the declaration, CDATA and everything else dropped. An
 * empty string when the text is not XML this can read.
 */
export function reduceXml(text: string): string {
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
      if (!element || element.name !== closing) return "";
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
  if (read !== source.length || open.length > 0) return ""; // stopped before the end, or left elements open
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

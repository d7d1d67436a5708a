/**
 * Building FHIR narrative: a `div` in the XHTML namespace holding only the
 * elements FHIR allows, with every piece of text escaped. No I/O.
 */

/** Characters XML 1.0 does not allow at all, even escaped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXhtml(text: string): string {
  return text.replace(NOT_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Escaped text with its line breaks kept. */
export function xhtmlText(text: string): string {
  return escapeXhtml(text.replace(/\r\n?/g, "\n").trim()).replace(/\n/g, "<br/>");
}

export function element(tag: "p" | "b" | "ul" | "ol" | "li" | "span", inner: string): string {
  return `<${tag}>${inner}</${tag}>`;
}

/** A block of one language, marked for both HTML and XML readers. */
export function languageBlock(lang: string, inner: string): string {
  return `<div lang="${escapeXhtml(lang)}" xml:lang="${escapeXhtml(lang)}">${inner}</div>`;
}

/** The root `div` of a FHIR Narrative. */
export function narrativeDiv(inner: string): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;
}

/**
 * What an actor may do with a case's images (DICOM series, key images, pathology slides). Pure; the
 * case page, the viewers, DICOMweb and the board room ask these, and the imaging services enforce them.
 */
import { caseAbilities, caseReadOnly, type CaseFacts } from "~/features/cases/case-access";
import type { Actor } from "~/features/identity/permissions";

export type ImagingAbilities = {
  view: boolean;
  /** Series flagged for possible burned-in text stay hidden from consultants until a coordinator clears them. */
  seeFlaggedSeries: boolean;
  /** Upload DICOM and slides, by browser or DICOMweb: the treating side and coordinators, while the case is open. */
  addImaging: boolean;
  /** Enter the PACS linkage key (accession number or patient ID) that attaches matching studies. */
  setLinkage: boolean;
  /**
   * Search the institution's PACS from the case (C-FIND) and pull studies into it (C-GET): the treating physicians of the case's own
   * institution only, while it is open. Not coordinators, though they may add imaging: the search answers show the hospital's
   * patient names and IDs, which only the hospital's own staff may see.
   */
  queryPacs: boolean;
  /** Clear a flagged series for consultants after checking it. */
  clearBurnedIn: boolean;
  /** Mark key images and slide regions for the board: consultants and coordinators, while the case is open. */
  markKeyImage: boolean;
  /** Save the viewer's measurements of a series into the case as a DICOM SR measurement report: everyone who sees the case, while it is open. */
  saveMeasurements: boolean;
  /** Draw arrows, ellipses and labels on a slide: everyone who sees the case, while it is open (not withdrawn or archived); only the author removes theirs. */
  annotateSlide: boolean;
};
export type ImagingAbility = keyof ImagingAbilities;

export function imagingAbilities(actor: Actor, facts: CaseFacts): ImagingAbilities {
  const may = caseAbilities(actor, facts);
  const open = may.view && !caseReadOnly(facts);
  const addImaging = open && (may.treatingSide || may.coordinate);
  return {
    view: may.view,
    seeFlaggedSeries: may.view && actor.role !== "CONSULTANT",
    addImaging,
    setLinkage: addImaging && may.treatingSide,
    queryPacs: addImaging && may.treatingSide,
    clearBurnedIn: may.coordinate,
    markKeyImage: open && (actor.role === "CONSULTANT" || actor.role === "COORDINATOR"),
    saveMeasurements: open,
    annotateSlide: open,
  };
}

export type Refusal = { ok: false; status: 400 | 403 | 404; errorKey: string };
/** What an imaging step answers: done, or refused with the status and the message key the user reads. */
export type ImagingStepResult = { ok: true } | Refusal;
export const notAllowed: Refusal = { ok: false, status: 403, errorKey: "cases:errors.actionNotAllowed" };

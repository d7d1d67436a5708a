import { describe, expect, it } from "vitest";
import type { CaseFacts } from "~/features/cases/case-access";
import { CASE_STATUSES, type CaseStatus } from "~/features/cases/case-lifecycle";
import { imagingAbilities, type ImagingAbility } from "~/features/imaging/imaging-access";
import type { Actor } from "~/features/identity/permissions";
import type { Role } from "~/features/identity/roles";

const actor = (role: Role, id: string, institutionId: string | null = null): Actor => ({ id, role, institutionId, active: true });
const physician = actor("TREATING_PHYSICIAN", "p1", "wuhan");
const otherHospital = actor("TREATING_PHYSICIAN", "p2", "hangzhou");
const consultant = actor("CONSULTANT", "c1", "pacific");
const coordinator = actor("COORDINATOR", "k1");
const admin = actor("ADMIN", "a1");
const facts = (status: CaseStatus): CaseFacts => ({ institutionId: "wuhan", status, assignedConsultantIds: ["c1"] });
const granted = (who: Actor, ability: ImagingAbility) => CASE_STATUSES.filter((status) => imagingAbilities(who, facts(status))[ability]);
const open = CASE_STATUSES.filter((s) => s !== "WITHDRAWN" && s !== "ARCHIVED");

describe("imaging abilities", () => {
  it("holds back series flagged for burned-in text from consultants only", () => {
    expect(imagingAbilities(consultant, facts("IN_REVIEW")).seeFlaggedSeries).toBe(false);
    expect(imagingAbilities(coordinator, facts("IN_REVIEW")).seeFlaggedSeries).toBe(true);
    expect(imagingAbilities(physician, facts("IN_REVIEW")).seeFlaggedSeries).toBe(true);
    expect(granted(otherHospital, "seeFlaggedSeries")).toEqual([]);
    expect(granted(admin, "view")).toEqual([]);
  });

  it("lets the treating side and coordinators add imaging while the case is open; only the treating side sets the linkage key", () => {
    expect(granted(physician, "addImaging")).toEqual(open);
    expect(granted(coordinator, "addImaging")).toEqual(open.filter((s) => s !== "DRAFT"));
    for (const who of [consultant, otherHospital, admin]) expect(granted(who, "addImaging")).toEqual([]);
    expect(granted(physician, "setLinkage")).toEqual(open);
    expect(granted(coordinator, "setLinkage")).toEqual([]);
  });

  it("lets only the treating physicians of the case's institution query and pull from its PACS, while the case is open", () => {
    expect(granted(physician, "queryPacs")).toEqual(open);
    for (const who of [coordinator, consultant, otherHospital, admin]) expect(granted(who, "queryPacs")).toEqual([]);
  });

  it("lets only coordinators clear a flagged series", () => {
    expect(granted(coordinator, "clearBurnedIn")).toEqual(CASE_STATUSES.filter((s) => s !== "DRAFT"));
    for (const who of [physician, consultant, admin]) expect(granted(who, "clearBurnedIn")).toEqual([]);
  });

  it("lets consultants and coordinators mark key images on an open case; everyone who sees an open case annotates slides", () => {
    expect(granted(consultant, "markKeyImage")).toEqual(open.filter((s) => s !== "DRAFT"));
    expect(granted(coordinator, "markKeyImage")).toEqual(open.filter((s) => s !== "DRAFT"));
    expect(granted(physician, "markKeyImage")).toEqual([]);
    expect(granted(physician, "annotateSlide")).toEqual(open);
    expect(granted(consultant, "annotateSlide")).toEqual(open.filter((s) => s !== "DRAFT"));
    expect(granted(otherHospital, "annotateSlide")).toEqual([]);
  });

  it("lets everyone who sees an open case save the viewer's measurements as a DICOM SR", () => {
    expect(granted(physician, "saveMeasurements")).toEqual(open);
    expect(granted(consultant, "saveMeasurements")).toEqual(open.filter((s) => s !== "DRAFT"));
    expect(granted(coordinator, "saveMeasurements")).toEqual(open.filter((s) => s !== "DRAFT"));
    for (const who of [otherHospital, admin]) expect(granted(who, "saveMeasurements")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { remapUid } from "~/features/imaging/dicom/deidentify";
import {
  caseUid,
  dateOnlyRangeAllowed,
  mapSeries,
  MAX_DATE_ONLY_DAYS,
  mapStudy,
  networkErrorKey,
  PACS_ERRORS,
  PacsPullForm,
  PacsSearchForm,
  pullPlan,
  pullTargets,
  rejectionKey,
  requestedInstances,
  searchCriteria,
  sortStudies,
  studyQuery,
  text,
} from "~/features/imaging/pacs/pacs-query";

describe("the PACS search form and its C-FIND identifier", () => {
  it("needs at least one criterion, exact values and dates in order", () => {
    const parse = (input: Record<string, string>) => PacsSearchForm.safeParse({ intent: "search", ...input });
    expect(parse({}).error?.issues[0].message).toBe("imaging:pacs.errors.criterionRequired");
    expect(parse({ patientId: "12*" }).error?.issues[0].message).toBe("imaging:pacs.errors.patientIdInvalid");
    expect(parse({ accessionNumber: "A".repeat(17) }).error?.issues[0].message).toBe("imaging:pacs.errors.accessionInvalid");
    expect(parse({ dateFrom: "2024-02-30x" }).error?.issues[0].message).toBe("imaging:pacs.errors.dateInvalid");
    expect(parse({ dateFrom: "2024-03-02", dateTo: "2024-03-01" }).error?.issues).toEqual([
      expect.objectContaining({ path: ["dateTo"], message: "imaging:pacs.errors.dateOrder" }),
    ]);
    expect(parse({ patientId: " 99000 " }).data?.patientId).toBe("99000");
  });

  it("searches by study date alone only over a closed range of at most a week, so the whole PACS cannot be listed", () => {
    const parse = (input: Record<string, string>) => PacsSearchForm.safeParse({ intent: "search", ...input });
    const tooWide = (path: string) => [expect.objectContaining({ path: [path], message: "imaging:pacs.errors.dateRangeTooWide" })];
    expect(MAX_DATE_ONLY_DAYS).toBe(7);
    // Open ranges: every study since 1900, or up to a day.
    expect(parse({ dateFrom: "1900-01-01" }).error?.issues).toEqual(tooWide("dateTo"));
    expect(parse({ dateTo: "2024-03-01" }).error?.issues).toEqual(tooWide("dateFrom"));
    // Closed ranges: 7 days (both ends counted) pass, 8 do not.
    expect(parse({ dateFrom: "2024-03-01", dateTo: "2024-03-07" }).success).toBe(true);
    expect(parse({ dateFrom: "2024-03-01", dateTo: "2024-03-08" }).error?.issues).toEqual(tooWide("dateTo"));
    expect(parse({ dateFrom: "1900-01-01", dateTo: "2099-12-31" }).error?.issues).toEqual(tooWide("dateTo"));
    expect(parse({ dateFrom: "2024-02-27", dateTo: "2024-03-04" }).success).toBe(true); // across a leap day: 7 days
    expect(parse({ dateFrom: "2024-03-01", dateTo: "2024-03-01" }).success).toBe(true);
    // With a patient ID or accession number, any range (or none).
    expect(parse({ patientId: "99000", dateFrom: "1900-01-01" }).success).toBe(true);
    expect(parse({ accessionNumber: "A1", dateFrom: "1900-01-01", dateTo: "2099-12-31" }).success).toBe(true);
    expect(dateOnlyRangeAllowed("2024-03-01", undefined)).toBe(false);
    expect(dateOnlyRangeAllowed("2024-03-02", "2024-03-01")).toBe(false);
  });

  it("asks for the criteria given and the keys the page shows", () => {
    expect(studyQuery({ patientId: "99000" })).toMatchObject({
      PatientID: "99000",
      AccessionNumber: "",
      StudyDate: "",
      PatientName: "",
      ModalitiesInStudy: "",
    });
    expect(studyQuery({ dateFrom: "2003-01-01", dateTo: "2003-12-31" }).StudyDate).toBe("20030101-20031231");
    expect(studyQuery({ dateFrom: "2003-01-01" }).StudyDate).toBe("20030101-");
    expect(studyQuery({ dateTo: "2003-12-31" }).StudyDate).toBe("-20031231");
    expect(studyQuery({ dateFrom: "2003-04-17", dateTo: "2003-04-17" }).StudyDate).toBe("20030417");
    expect(searchCriteria({ accessionNumber: "A1", dateTo: "2003-12-31" })).toEqual(["accessionNumber", "studyDate"]);
  });
});

describe("reading the PACS's answers", () => {
  it("maps a study answer to bounded plain values", () => {
    expect(
      mapStudy({
        StudyInstanceUID: "1.2.3.4",
        PatientName: [{ Alphabetic: "Zhang^San", Ideographic: "张^三" }],
        PatientID: "99000",
        AccessionNumber: "03086212",
        StudyDate: "20030417",
        StudyDescription: "CT CHEST\u0000",
        ModalitiesInStudy: ["SEG", "CT", "CT", "bad modality"],
        NumberOfStudyRelatedSeries: 2,
        NumberOfStudyRelatedInstances: "4",
      }),
    ).toEqual({
      studyUid: "1.2.3.4",
      patientName: "Zhang San = 张 三",
      patientId: "99000",
      accessionNumber: "03086212",
      studyDate: "2003-04-17",
      description: "CT CHEST",
      modalities: ["CT", "SEG"],
      seriesCount: 2,
      instanceCount: 4,
    });
    expect(mapStudy({ StudyInstanceUID: "not-a-uid" })).toBeNull();
    expect(mapStudy({ StudyInstanceUID: "1.2", StudyDate: "2003", NumberOfStudyRelatedInstances: -1 })).toMatchObject({
      studyDate: "",
      instanceCount: null,
      modalities: [],
    });
    expect(text("x".repeat(500))).toHaveLength(64);
  });

  it("maps a series answer and sorts studies newest first", () => {
    expect(mapSeries({ SeriesInstanceUID: "1.2.5", Modality: "CT", SeriesNumber: 3, SeriesDescription: "Axial", NumberOfSeriesRelatedInstances: 120 })).toEqual(
      {
        seriesUid: "1.2.5",
        modality: "CT",
        seriesNumber: 3,
        description: "Axial",
        instanceCount: 120,
      },
    );
    const study = (studyUid: string, studyDate: string) => ({ ...mapStudy({ StudyInstanceUID: studyUid })!, studyDate });
    expect(sortStudies([study("1.1", ""), study("1.2", "2001-01-01"), study("1.3", "2024-01-01")]).map((s) => s.studyUid)).toEqual(["1.3", "1.2", "1.1"]);
  });
});

describe("pulling", () => {
  it("reads picks as whole studies or chosen series, a whole study absorbing its series", () => {
    expect(pullTargets(["1.1/1.1.1", "1.1/1.1.2", "1.2", "1.2/1.2.9", "1.3/1.3.1", "1.3"])).toEqual([
      { studyUid: "1.1", seriesUids: ["1.1.1", "1.1.2"] },
      { studyUid: "1.2", seriesUids: [] },
      { studyUid: "1.3", seriesUids: [] },
    ]);
    expect(PacsPullForm.safeParse({ intent: "pull", pick: ["1.2/x"] }).success).toBe(false);
    expect(PacsPullForm.safeParse({ intent: "pull", pick: ["1..2"] }).success).toBe(false);
    expect(PacsPullForm.safeParse({ intent: "pull", pick: [] }).error?.issues[0].message).toBe("imaging:pacs.errors.nothingChosen");
    expect(PacsPullForm.safeParse({ intent: "pull", pick: Array.from({ length: 51 }, (_, i) => `1.${i}`) }).error?.issues[0].message).toBe(
      "imaging:pacs.errors.tooManyChosen",
    );
  });

  it("retrieves a series the case lacks whole, one it has in part instance by instance, and skips one it has", () => {
    const present = new Set(["2.1", "3.1", "3.2"]);
    const plan = pullPlan(
      [
        { studyUid: "1", seriesUid: "1.1", sopInstanceUids: ["1.1", "1.2"] },
        { studyUid: "1", seriesUid: "1.2", sopInstanceUids: ["2.1", "2.2"] },
        { studyUid: "1", seriesUid: "1.3", sopInstanceUids: ["3.1", "3.2"] },
      ],
      (uid) => present.has(uid),
    );
    expect(plan).toEqual({
      expected: 6,
      skipped: 3,
      requests: [
        { studyUid: "1", seriesUid: "1.1", sopInstanceUids: ["1.1", "1.2"], whole: true },
        { studyUid: "1", seriesUid: "1.2", sopInstanceUids: ["2.2"], whole: false },
      ],
    });
  });

  it("accepts from the PACS only the instances planned, in their own study and series", () => {
    const requested = requestedInstances([
      { studyUid: "1", seriesUid: "1.1", sopInstanceUids: ["1.1.1", "1.1.2"], whole: true },
      { studyUid: "1", seriesUid: "1.2", sopInstanceUids: ["1.2.2"], whole: false },
    ]);
    const ids = (studyUid: string, seriesUid: string, sop: string, command = sop) => ({
      studyUid,
      seriesUid,
      sopInstanceUid: sop,
      commandSopInstanceUid: command,
    });
    expect(requested(ids("1", "1.1", "1.1.2"))).toBe(true);
    expect(requested(ids("1", "1.2", "1.2.2"))).toBe(true);
    // Already in the case, so not planned; not listed at all; another patient's study; the planned UID in another series.
    expect(requested(ids("1", "1.2", "1.2.1"))).toBe(false);
    expect(requested(ids("1", "1.1", "1.1.3"))).toBe(false);
    expect(requested(ids("9", "9.1", "9.1.1"))).toBe(false);
    expect(requested(ids("9", "1.1", "1.1.1"))).toBe(false);
    expect(requested(ids("1", "1.2", "1.1.1"))).toBe(false);
    // The command names a planned instance, the dataset another one.
    expect(requested(ids("1", "1.1", "9.9", "1.1.1"))).toBe(false);
    expect(requested(ids("1", "1.1", "1.1.1", "9.9"))).toBe(false);
    expect(requested(ids("", "", ""))).toBe(false);
  });

  it("names UIDs as the case holds them: the institution's remapping, then the case's", () => {
    expect(caseUid("1.2.3", { uidSecret: "c", institutionUidSecret: "i" })).toBe(remapUid(remapUid("1.2.3", "i"), "c"));
    expect(caseUid("1.2.3", { uidSecret: "c" })).toBe(remapUid("1.2.3", "c"));
  });
});

describe("the PACS's failures as errors the user reads", () => {
  it("tells a refused AE title, a refusal, a timeout, an unreachable PACS and a cut connection apart", () => {
    expect(rejectionKey({ result: 1, source: 1, reason: 7 })).toBe(PACS_ERRORS.aeTitleRefused);
    expect(rejectionKey({ result: 1, source: 1, reason: 3 })).toBe(PACS_ERRORS.aeTitleRefused);
    expect(rejectionKey({ result: 2, source: 3, reason: 2 })).toBe(PACS_ERRORS.rejected);
    expect(networkErrorKey("Connection timeout: X -> Exceeded association timeout (1000)")).toBe(PACS_ERRORS.timeout);
    expect(networkErrorKey(" -> Connection error: connect ECONNREFUSED 127.0.0.1:4398")).toBe(PACS_ERRORS.unreachable);
    expect(networkErrorKey(" -> Connection error: read ECONNRESET")).toBe(PACS_ERRORS.connectionLost);
  });
});

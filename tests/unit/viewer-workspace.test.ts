import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedTranslations } from "../support/translations";
import { daysBetween, dicomDate, studyLabel } from "~/features/imaging/study-label";
import { choosePrior, followUpWorkspace, type ProtocolStudy } from "~/features/imaging/viewer/hanging-protocol";
import {
  shownSeries,
  studyRelations,
  thumbnailUrl,
  workspaceReducer,
  type ViewerSeries,
  type ViewerStudy,
  workspaceOf,
  type WorkspaceState,
} from "~/features/imaging/viewer/workspace-state";

const ORDER = ["a", "b", "c", "d", "e"];

describe("the viewer workspace", () => {
  it("grows a layout with the series not shown yet, then empty viewports", () => {
    const two = workspaceReducer(workspaceOf("1x1", ["c"]), { type: "layout", layout: "1x2", seriesOrder: ORDER });
    expect(two).toEqual({
      layout: "1x2",
      viewports: [
        { id: 0, seriesId: "c" },
        { id: 1, seriesId: "a" },
      ],
      active: 0,
      linked: true,
    });
    const four = workspaceReducer(two, { type: "layout", layout: "2x2", seriesOrder: ["a", "c", "d"] });
    expect(shownSeries(four)).toEqual(["c", "a", "d", null]);
    expect(four.viewports.map((v) => v.id)).toEqual([0, 1, 2, 3]);
  });

  it("shrinks a layout keeping the active viewport, and its view, on screen", () => {
    const four = { ...workspaceOf("2x2", ["a", "b", "c", "d"]), active: 1 };
    const two = workspaceReducer(four, { type: "layout", layout: "1x2", seriesOrder: ORDER });
    expect([shownSeries(two), two.active]).toEqual([["a", "b"], 1]);
    const lastActive = workspaceReducer(four, { type: "activate", viewport: 3 });
    const kept = workspaceReducer(lastActive, { type: "layout", layout: "1x2", seriesOrder: ORDER });
    expect([shownSeries(kept), kept.active]).toEqual([["a", "d"], 1]);
    // The same viewport (id 3) moves, so whatever it shows stays as it was.
    expect(workspaceReducer(lastActive, { type: "layout", layout: "1x1", seriesOrder: ORDER })).toMatchObject({
      viewports: [{ id: 3, seriesId: "d" }],
      active: 0,
    });
    // Growing again never reuses a living viewport's id.
    expect(workspaceReducer(kept, { type: "layout", layout: "2x2", seriesOrder: ORDER }).viewports.map((v) => v.id)).toEqual([0, 3, 4, 5]);
  });

  it("loads a series into the active viewport only, and activates only viewports that exist", () => {
    let state: WorkspaceState = workspaceOf("1x2", ["a", "b"]);
    state = workspaceReducer(state, { type: "activate", viewport: 1 });
    state = workspaceReducer(state, { type: "load", seriesId: "e" });
    expect(state.viewports).toEqual([
      { id: 0, seriesId: "a" },
      { id: 1, seriesId: "e" },
    ]);
    expect(workspaceReducer(state, { type: "activate", viewport: 2 })).toBe(state);
    expect(workspaceReducer(state, { type: "activate", viewport: -1 })).toBe(state);
    // The same series may be shown twice, e.g. in two windows.
    expect(shownSeries(workspaceReducer(workspaceReducer(state, { type: "activate", viewport: 0 }), { type: "load", seriesId: "e" }))).toEqual(["e", "e"]);
    expect(workspaceReducer(state, { type: "link", linked: false }).linked).toBe(false);
  });

  it("names the current study and each prior by its days before it, only when dates differ", () => {
    expect(studyRelations(["20240312", "20231211", null])).toEqual([{ kind: "current" }, { kind: "prior", days: -92 }, null]);
    expect(studyRelations(["20231211", "20240312", "20240312"])).toEqual([{ kind: "prior", days: -92 }, { kind: "current" }, { kind: "current" }]);
    expect(studyRelations(["20240312", "20240312"])).toEqual([null, null]);
    expect(studyRelations(["20240312", "2024-03-12", "20240230"])).toEqual([null, null, null]);
  });

  it("thumbnails the middle slice of the stack, counting frames as slices", () => {
    const series = (instances: ViewerSeries["instances"]): ViewerSeries => ({
      series: { id: "s", number: 1, modality: "CT", description: null, bodyPart: null },
      pageUrl: "/cases/c/series/s",
      instancesUrl: "/dicomweb/cases/c/studies/1/series/2/instances",
      instances,
      positions: [],
    });
    expect(
      thumbnailUrl(
        series([
          { uid: "i1", frames: 1 },
          { uid: "i2", frames: 1 },
          { uid: "i3", frames: 1 },
        ]),
      ),
    ).toBe("/dicomweb/cases/c/studies/1/series/2/instances/i2/frames/1/rendered?accept=image%2Fjpeg&viewport=128,128");
    expect(thumbnailUrl(series([{ uid: "us", frames: 30 }]))).toMatch(/\/us\/frames\/15\/rendered/);
    expect(thumbnailUrl(series([]))).toBeNull();
  });
});

const ct = (id: string, bodyPart: string | null, slices = 100) => ({ id, modality: "CT", bodyPart, slices });

describe("the follow-up hanging protocol", () => {
  const studies: ProtocolStudy[] = [
    {
      studyDate: "20240312",
      series: [ct("now-scout", "CHEST", 2), ct("now", "CHEST", 300), { id: "now-pet", modality: "PT", bodyPart: "CHEST", slices: 200 }],
    },
    { studyDate: "20231211", series: [ct("prior-abdomen", "ABDOMEN"), ct("prior-chest", "CHEST", 280), ct("prior-chest-thin", "chest ", 560)] },
    { studyDate: "20230601", series: [ct("older-chest", "CHEST"), { id: "older-pet", modality: "PT", bodyPart: "CHEST", slices: 200 }] },
    { studyDate: "20240901", series: [ct("later-chest", "CHEST")] },
  ];

  it("chooses the latest earlier study's series of the same modality and body part, the one with most slices", () => {
    expect(choosePrior(studies, "now")?.id).toBe("prior-chest-thin");
    expect(choosePrior(studies, "now-pet")?.id).toBe("older-pet");
    expect(choosePrior(studies, "prior-chest")?.id).toBe("older-chest");
    expect(choosePrior(studies, "later-chest")?.id).toBe("now");
  });

  it("finds no prior for the earliest study, another body part, another modality, or an undated study", () => {
    expect(choosePrior(studies, "older-chest")).toBeNull();
    expect(choosePrior(studies, "prior-abdomen")).toBeNull();
    expect(
      choosePrior(
        [
          { studyDate: "20240312", series: [ct("now", "CHEST")] },
          { studyDate: "20231211", series: [{ ...ct("mr", "CHEST"), modality: "MR" }] },
        ],
        "now",
      ),
    ).toBeNull();
    expect(
      choosePrior(
        [
          { studyDate: null, series: [ct("now", "CHEST")] },
          { studyDate: "20231211", series: [ct("prior", "CHEST")] },
        ],
        "now",
      ),
    ).toBeNull();
    expect(
      choosePrior(
        [
          { studyDate: "20240312", series: [ct("now", "CHEST")] },
          { studyDate: "20240312", series: [ct("same-day", "CHEST")] },
        ],
        "now",
      ),
    ).toBeNull();
    expect(choosePrior(studies, "unknown")).toBeNull();
  });

  it("lets an unrecorded body part match, preferring a recorded match in the same study", () => {
    const unrecorded: ProtocolStudy[] = [
      { studyDate: "20240312", series: [ct("now", "CHEST")] },
      { studyDate: "20231211", series: [ct("prior-unrecorded", null, 900), ct("prior-chest", "CHEST", 10)] },
    ];
    expect(choosePrior(unrecorded, "now")?.id).toBe("prior-chest");
    expect(choosePrior([unrecorded[0], { studyDate: "20231211", series: [ct("prior-unrecorded", null)] }], "now")?.id).toBe("prior-unrecorded");
    expect(choosePrior([{ studyDate: "20240312", series: [ct("now", null)] }, unrecorded[1]], "now")?.id).toBe("prior-unrecorded");
  });

  it("hangs the series beside its prior in 1×2, linked; alone otherwise", () => {
    const viewerStudy = (study: ProtocolStudy, n: number): ViewerStudy => ({
      id: `study-${n}`,
      studyDate: study.studyDate,
      description: null,
      series: study.series.map((s) => ({
        series: { id: s.id, number: 1, modality: s.modality, description: null, bodyPart: s.bodyPart },
        pageUrl: "",
        instancesUrl: "",
        instances: [{ uid: `${s.id}-1`, frames: s.slices }],
        positions: [],
      })),
    });
    const viewerStudies = studies.map(viewerStudy);
    expect(followUpWorkspace(viewerStudies, "now")).toEqual(workspaceOf("1x2", ["now", "prior-chest-thin"]));
    expect(workspaceOf("1x2", ["now", "prior-chest-thin"])).toMatchObject({ active: 0, linked: true });
    expect(followUpWorkspace(viewerStudies, "older-chest")).toEqual(workspaceOf("1x1", ["older-chest"]));
  });
});

describe("study labels and dates", () => {
  let en: TFunction;
  let zh: TFunction;
  beforeAll(async () => {
    ({ en, zh } = await fixedTranslations());
  });

  it("reads DICOM dates strictly and counts the days between them", () => {
    expect(dicomDate("20240229")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(dicomDate("20230229")).toBeNull();
    expect(dicomDate("2024-02-29")).toBeNull();
    expect(dicomDate(null)).toBeNull();
    expect(daysBetween("20240312", "20231211")).toBe(-92);
    expect(daysBetween("20231211", "20240312")).toBe(92);
    expect(daysBetween("20231211", "")).toBeNull();
  });

  it("names a study by description, modalities and date in the reader's language", () => {
    const study = { studyDate: "20030417", description: "Chest with contrast", series: [{ modality: "CT" }, { modality: "PT" }, { modality: "CT" }] };
    expect(studyLabel(study, en, "en")).toBe("Chest with contrast · CT/PT · Apr 17, 2003");
    expect(studyLabel(study, zh, "zh-CN")).toBe("Chest with contrast · CT/PT · 2003年4月17日");
    expect(studyLabel({ studyDate: null, description: " ", series: [] }, en, "en")).toBe("Untitled study · — · date unknown");
    expect(en("imaging:workspace.prior", { count: 92, date: "Dec 11, 2023" })).toBe("Prior, −92 days · Dec 11, 2023");
    expect(en("imaging:workspace.prior", { count: 1, date: "Dec 11, 2023" })).toBe("Prior, −1 day · Dec 11, 2023");
    expect(zh("imaging:workspace.prior", { count: 92, date: "2023年12月11日" })).toBe("既往，−92 天 · 2023年12月11日");
  });
});

/**
 * Burned-in text end to end: a CT slice with an English and a Chinese hospital
 * name and patient name burned in by ImageMagick, wrapped by dcmtk as a JPEG
 * secondary capture, uploaded to a case. OCR must box every text where it was
 * drawn; clearing must give consultants a copy in which dcmtk sees every box
 * black and every other pixel unchanged, and in which tesseract reads no name.
 */
import { copyFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { redactionRects } from "~/features/imaging/burned-in/ocr-words";
import { multipartParts } from "~/features/imaging/dicomweb.server";
import { getDb } from "~/platform/db.server";
import { objectPath } from "~/platform/storage.server";
import * as assignRoute from "~/routes/cases.$caseId.assign";
import * as reviewRoute from "~/routes/cases.$caseId.burned-in.$seriesId";
import * as frameRoute from "~/routes/cases.$caseId.burned-in.$seriesId.frames.$instanceId.$frame";
import * as newCase from "~/routes/cases.new";
import * as dicomweb from "~/routes/dicomweb.cases.$caseId.$";
import { BURNED_IN_TEXTS, makeBurnedInImage, sh } from "../support/burned-in-image";
import { FIRST_ENTRY, packetForm } from "../support/case-packet";
import { uploadAsBrowser } from "../support/browser-upload";
import { BASE, context, get, post, run, signIn } from "../support/remix";

const NAMES_READ = ["Mary", "Hospital", "John", "Smith", "北京", "协和", "医院", "张伟"];

type Gray = { width: number; height: number; pixels: Uint8Array };

/** An 8-bit binary PGM (P5), as dcm2pnm and ImageMagick write it. */
function readPgm(file: string): Gray {
  const bytes = readFileSync(file);
  const header = /^P5\s+(?:#.*\s+)*(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 200).toString("latin1"));
  if (!header || header[3] !== "255") throw new Error(`not an 8-bit PGM: ${file}`);
  const [width, height] = [Number(header[1]), Number(header[2])];
  return { width, height, pixels: new Uint8Array(bytes.subarray(header[0].length, header[0].length + width * height)) };
}

/** What tesseract reads of an image as it is and with only its bright pixels, enlarged (the two ways the server reads it). */
function tesseractText(image: string, cwd: string): string {
  sh("convert", [image, "-threshold", "87%", "-negate", "-scale", "200%", "bright.png"], cwd);
  return [image, "bright.png"].map((file) => sh("tesseract", [file, "stdout", "-l", "eng+chi_sim", "--psm", "11"], cwd)).join("\n");
}

describe("burned-in text", () => {
  it(
    "is found by OCR, shown to the coordinator as boxes (who may draw more), and blacked out in the copy consultants receive",
    { timeout: 180_000 },
    async () => {
      const { dir: work, dicom, textMasks } = makeBurnedInImage();
      const glyphs = textMasks.map(readPgm);

      const physician = await signIn("physician@demo.test");
      const created = await run(newCase.action, { request: post("/cases/new", FIRST_ENTRY, physician) });
      const caseId = /\/cases\/([^/]+)\/edit/.exec(created.headers.get("location")!)![1];
      const uploaded = await uploadAsBrowser(caseId, physician, new Uint8Array(readFileSync(dicom)), "burned.dcm");
      expect(JSON.parse(uploaded.data).results, uploaded.data).toMatchObject([{ status: "stored" }]);

      const db = getDb();
      const series = await db.imagingSeries.findFirstOrThrow({ where: { study: { caseId } }, include: { study: true } });
      expect(series.burnedInRisk).toBe(true);
      const started = Date.now();
      const instance = await vi.waitFor(
        async () => {
          const row = await db.imagingInstance.findFirstOrThrow({ where: { seriesId: series.id } });
          if (row.ocrStatus === "PENDING") throw new Error("OCR still reading");
          return row;
        },
        { timeout: 120_000, interval: 200 },
      );
      console.info(`burned-in OCR of one 512x512 frame: ${Date.now() - started} ms`);
      expect(instance.ocrStatus).toBe("DONE");
      const boxes = await db.burnedInTextBox.findMany({ where: { instanceId: instance.id } });
      const size = { width: 512, height: 512 };
      const rects = redactionRects(boxes, size);
      const inRects = (x: number, y: number) => rects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
      for (const [i, glyph] of glyphs.entries()) {
        let inked = 0;
        const missed: string[] = [];
        for (let y = 0; y < 512; y++)
          for (let x = 0; x < 512; x++)
            if (glyph.pixels[y * 512 + x] >= 64) {
              inked++;
              if (!inRects(x, y)) missed.push(`${x},${y}`);
            }
        expect(inked, BURNED_IN_TEXTS[i].text).toBeGreaterThan(50);
        expect(missed, `pixels of "${BURNED_IN_TEXTS[i].text}" outside every box`).toEqual([]);
      }

      // The case goes to the board: the coordinator reviews and clears, a consultant is assigned.
      const edit = await import("~/routes/cases.$caseId.edit");
      const version = String((await db.case.findUniqueOrThrow({ where: { id: caseId } })).version);
      await run(edit.action, { request: post(`/cases/${caseId}/edit`, { ...packetForm(), intent: "submit", version }, physician), params: { caseId } });
      const coordinator = await signIn("coordinator@demo.test");
      const params = { caseId, seriesId: series.id };
      const review = await run(reviewRoute.loader, { request: get(`/cases/${caseId}/burned-in/${series.id}`, coordinator), params });
      expect(review.status).toBe(200);
      expect(review.data.boxCount).toBe(boxes.length);
      expect(review.data.instances[0].frames[0].boxes).toHaveLength(boxes.length);
      const frameParams = { ...params, instanceId: instance.id, frame: "0" };
      const png = await run(frameRoute.loader, {
        request: get(`/cases/${caseId}/burned-in/${series.id}/frames/${instance.id}/0`, coordinator),
        params: frameParams,
      });
      expect(png.status).toBe(200);
      expect(png.headers.get("content-type")).toBe("image/png");

      // The coordinator draws a box OCR could not see, and another one that they take back; a box outside the image is refused.
      const reviewAction = (fields: Record<string, string>, cookie = coordinator) =>
        run(reviewRoute.action, { request: post(`/cases/${caseId}/burned-in/${series.id}`, fields, cookie), params });
      const drawn = { x: 300, y: 250, width: 20, height: 10 };
      const takenBack = { x: 200, y: 200, width: 20, height: 10 };
      for (const box of [drawn, takenBack]) {
        const added = await reviewAction({
          intent: "addBox",
          instanceId: instance.id,
          frame: "1",
          ...Object.fromEntries(Object.entries(box).map(([k, v]) => [k, String(v)])),
        });
        expect(added.status).toBe(302);
      }
      const outside = await reviewAction({ intent: "addBox", instanceId: instance.id, frame: "1", x: "500", y: "0", width: "20", height: "10" });
      expect(outside.status).toBe(400);
      expect(outside.data.error).toBe("imaging:burnedIn.boxInvalid");
      expect(
        (await reviewAction({ intent: "addBox", instanceId: instance.id, frame: "1", ...{ x: "1", y: "1", width: "5", height: "5" } }, physician)).status,
      ).toBe(404);
      const manual = await db.burnedInTextBox.findFirstOrThrow({
        where: { instanceId: instance.id, x: takenBack.x, y: takenBack.y, addedById: { not: null } },
      });
      expect((await reviewAction({ intent: "removeBox", boxId: manual.id })).status).toBe(302);
      const allBoxes = await db.burnedInTextBox.findMany({ where: { instanceId: instance.id } });
      expect(allBoxes).toHaveLength(boxes.length + 1);
      const finalRects = redactionRects(allBoxes, size);
      const inFinalRects = (x: number, y: number) => finalRects.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
      expect(inFinalRects(drawn.x + 5, drawn.y + 5)).toBe(true);
      expect(inFinalRects(takenBack.x + 5, takenBack.y + 5)).toBe(false);

      const cleared = await run(reviewRoute.action, {
        request: post(`/cases/${caseId}/burned-in/${series.id}`, { intent: "clearBurnedIn" }, coordinator),
        params,
      });
      expect(cleared.status).toBe(302);
      const after = await db.imagingInstance.findUniqueOrThrow({ where: { id: instance.id } });
      expect(after.unredactedSha256).toBe(instance.sha256);
      expect(after.sha256).not.toBe(instance.sha256);
      expect(after.transferSyntax).toBe("1.2.840.10008.1.2.1");

      const consultantUser = await db.user.findUniqueOrThrow({ where: { email: "consultant@demo.test" } });
      await run(assignRoute.action, {
        request: post(`/cases/${caseId}/assign`, { primaryId: consultantUser.id, dueDate: "2030-01-01" }, coordinator),
        params: { caseId },
      });
      const consultant = await signIn("consultant@demo.test");
      const rest = `studies/${series.study.studyInstanceUid}/series/${series.seriesInstanceUid}/instances/${instance.sopInstanceUid}`;
      const wado = (await dicomweb.loader({
        request: new Request(`${BASE}/dicomweb/cases/${caseId}/${rest}`, { headers: { cookie: consultant } }),
        params: { caseId, "*": rest },
        context,
      })) as Response;
      expect(wado.status).toBe(200);
      const [received] = multipartParts(Buffer.from(await wado.arrayBuffer()), wado.headers.get("content-type")!)!;
      expect(Buffer.compare(received, readFileSync(objectPath(after.sha256)))).toBe(0);
      // Consultants never see the review or the unredacted pixels.
      expect((await run(reviewRoute.loader, { request: get(`/cases/${caseId}/burned-in/${series.id}`, consultant), params })).status).toBe(404);
      expect(
        (await run(frameRoute.loader, { request: get(`/cases/${caseId}/burned-in/${series.id}/frames/${instance.id}/0`, consultant), params: frameParams }))
          .status,
      ).toBe(404);

      // Checked with dcmtk: Burned In Annotation NO; inside every box black, outside unchanged from the de-identified original as dcmtk decodes it.
      const redactedFile = path.join(work, "redacted.dcm");
      copyFileSync(objectPath(after.sha256), redactedFile);
      expect(sh("dcmdump", ["+P", "0028,0301", redactedFile], work)).toMatch(/\[NO\]/);
      sh("dcmj2pnm", [objectPath(instance.sha256), "original.pgm"], work);
      sh("dcmj2pnm", [redactedFile, "redacted.pgm"], work);
      const original = readPgm(path.join(work, "original.pgm"));
      const redacted = readPgm(path.join(work, "redacted.pgm"));
      const black = original.pixels.reduce((min, v) => Math.min(min, v), 255);
      expect(black).toBeLessThanOrEqual(4);
      let inside = 0;
      let changedOutside = 0;
      let notBlackInside = 0;
      for (let y = 0; y < 512; y++)
        for (let x = 0; x < 512; x++) {
          const i = y * 512 + x;
          if (inFinalRects(x, y)) {
            inside++;
            if (redacted.pixels[i] !== black) notBlackInside++;
          } else if (redacted.pixels[i] !== original.pixels[i]) changedOutside++;
        }
      expect(inside).toBeGreaterThan(0);
      expect({ notBlackInside, changedOutside }).toEqual({ notBlackInside: 0, changedOutside: 0 });

      // tesseract reads the names in the original, and none in the redacted copy.
      const before = tesseractText("original.pgm", work);
      expect(before).toContain("Hospital");
      expect(before).toContain("Smith");
      expect(before).toContain("医院");
      const afterText = tesseractText("redacted.pgm", work);
      for (const name of NAMES_READ) expect(afterText, name).not.toContain(name);

      // Recognised text never reaches the audit log.
      const audit = await db.auditEvent.findMany({ where: { entityId: caseId } });
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["imaging.reviewBurnedIn", "imaging.clearBurnedIn"]));
      const details = audit.map((a) => a.details).join("\n");
      for (const name of NAMES_READ) expect(details, name).not.toContain(name);
    },
  );
});

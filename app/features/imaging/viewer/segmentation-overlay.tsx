/**
 * DICOM SEG series shown over their source series: each is fetched and read once, attached to the series holding the
 * images it names, and its frames on a slice turned into coloured layers (the viewer paints them over the image); a
 * legend names the segments and turns each, or all, on and off and sets the opacity.
 */
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ParsedInstance } from "./dicom-image";
import type { ImagePlane } from "./image-plane";
import { fetchInstance } from "./instance-cache";
import { coverageOnGrid, frameCoverage, framesOnSlice, sameGrid, sourceSeriesOf, type Segment, type SegmentLayer } from "./segmentation";
import { isSegmentation, type ViewerSeries } from "./workspace-state";

export type LoadedSegmentation = { seriesId: string; number: number | null; description: string | null; instances: ParsedInstance[] };
export type OverlaySettings = { hidden: string[]; opacity: number };
export const DEFAULT_OVERLAY: OverlaySettings = { hidden: [], opacity: 0.5 };

/** At most this many SEG series are fetched for one page. */
const MAX_SEGMENTATION_SERIES = 8;

const segmentKey = (seg: LoadedSegmentation, segment: Segment) => `${seg.seriesId}/${segment.number}`;
export const segmentsOf = (seg: LoadedSegmentation) => seg.instances.flatMap((instance) => instance.segmentation?.segments ?? []);

/**
 * The SEG series among these, read, by the series each lies over (null when none of the series holds its images);
 * undefined while they are being fetched.
 */
export function useSegmentations(series: ViewerSeries[]): Map<string, string | null> | undefined {
  const [sources, setSources] = useState<Map<string, string | null>>();
  const segSeries = series.filter(isSegmentation).slice(0, MAX_SEGMENTATION_SERIES);
  const key = segSeries.map((s) => s.series.id).join(",");
  useEffect(() => {
    let current = true;
    const candidates = series.filter((s) => !isSegmentation(s)).map((s) => ({ id: s.series.id, uids: s.instances.map((i) => i.uid) }));
    void Promise.all(
      segSeries.map(async (s) => {
        const instances = await loadSegmentation(s).catch(() => null);
        const source = instances?.find((i) => i.segmentation) ? sourceSeriesOf(instances.find((i) => i.segmentation)!.segmentation!, candidates) : null;
        return [s.series.id, source] as const;
      }),
    ).then((found) => current && setSources(new Map(found)));
    return () => {
      current = false;
    };
    // The series list is new on every render; which SEG series it holds is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return sources;
}

/** A SEG series' instances, fetched and read once per page (the instance cache keeps them). */
export async function loadSegmentation(s: ViewerSeries): Promise<ParsedInstance[]> {
  return Promise.all(s.instances.map((i) => fetchInstance(`${s.instancesUrl}/${i.uid}`)));
}

/** The SEG series that lie over a series (`sources` from useSegmentations). */
export const overlaysOf = (series: ViewerSeries[], sources: Map<string, string | null> | undefined, sourceSeriesId: string) =>
  series.filter((s) => sources?.get(s.series.id) === sourceSeriesId);

/** These SEG series, read. */
export function useOverlays(over: ViewerSeries[]): LoadedSegmentation[] {
  const [loaded, setLoaded] = useState<LoadedSegmentation[]>([]);
  const key = over.map((s) => s.series.id).join(",");
  useEffect(() => {
    let current = true;
    void Promise.all(
      over.map(async (s) => ({ seriesId: s.series.id, number: s.series.number, description: s.series.description, instances: await loadSegmentation(s) })),
    ).then(
      (all) => current && setLoaded(all),
      () => current && setLoaded([]),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return loaded;
}

const coverages = new Map<string, Uint8Array>();
const MAX_CACHED_COVERAGES = 256;

function coverageOf(seg: LoadedSegmentation, instance: ParsedInstance, frame: number): Uint8Array {
  const key = `${seg.seriesId}/${seg.instances.indexOf(instance)}/${frame}`;
  let coverage = coverages.get(key);
  if (!coverage) {
    coverage = frameCoverage(instance.segmentation!, instance.pixelModule, frame, instance.bytes);
    if (coverages.size >= MAX_CACHED_COVERAGES) coverages.delete(coverages.keys().next().value!);
    coverages.set(key, coverage);
  }
  return coverage;
}

/**
 * The visible segments' layers over one slice of the source, in segment order, on the slice's pixel grid: a frame on
 * another grid is placed by both planes; one whose grid cannot be placed counts only when it has the slice's size.
 */
export function sliceLayers(
  segmentations: LoadedSegmentation[],
  settings: OverlaySettings,
  slice: { uid: string; frame: number },
  plane: ImagePlane | null,
  size: { rows: number; columns: number },
): SegmentLayer[] {
  return segmentations.flatMap((seg) =>
    seg.instances.flatMap((instance) => {
      const segmentation = instance.segmentation;
      if (!segmentation) return [];
      const sameSize = instance.pixelModule.rows === size.rows && instance.pixelModule.columns === size.columns;
      return framesOnSlice(segmentation, slice, plane).flatMap((frame) => {
        const segment = segmentation.segments.find((s) => s.number === segmentation.frames[frame].segment);
        if (!segment || settings.hidden.includes(segmentKey(seg, segment))) return [];
        const framePlane = segmentation.frames[frame].plane;
        if (plane && framePlane && !sameGrid(framePlane, plane))
          return [{ coverage: coverageOnGrid(coverageOf(seg, instance, frame), framePlane, plane), color: segment.color }];
        return sameSize ? [{ coverage: coverageOf(seg, instance, frame), color: segment.color }] : [];
      });
    }),
  );
}

type LegendProps = { segmentations: LoadedSegmentation[]; settings: OverlaySettings; onChange: (settings: OverlaySettings) => void };

/** The segments over the image, each named in its colour with a switch, a switch for all of them, and the opacity. */
export function SegmentationLegend({ segmentations, settings, onChange }: LegendProps) {
  const { t } = useTranslation();
  const id = useId();
  const keys = segmentations.flatMap((seg) => segmentsOf(seg).map((segment) => segmentKey(seg, segment)));
  if (keys.length === 0) return null;
  const allShown = settings.hidden.length === 0;
  const toggle = (key: string, shown: boolean) =>
    onChange({ ...settings, hidden: shown ? settings.hidden.filter((k) => k !== key) : [...settings.hidden, key] });
  return (
    <section className="viewer-segmentations" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("imaging:segmentation.title")}</h2>
      <div className="field checkbox">
        <input id={`${id}-all`} type="checkbox" checked={allShown} onChange={(e) => onChange({ ...settings, hidden: e.currentTarget.checked ? [] : keys })} />
        <label htmlFor={`${id}-all`}>{t("imaging:segmentation.showAll")}</label>
      </div>
      {segmentations.map((seg) => (
        <fieldset key={seg.seriesId}>
          <legend>{t("imaging:segmentation.series", { number: seg.number ?? "—", description: seg.description ?? "" })}</legend>
          <ul>
            {segmentsOf(seg).map((segment) => {
              const key = segmentKey(seg, segment);
              return (
                <li key={key} className="field checkbox">
                  <input id={`${id}-${key}`} type="checkbox" checked={!settings.hidden.includes(key)} onChange={(e) => toggle(key, e.currentTarget.checked)} />
                  <label htmlFor={`${id}-${key}`}>
                    <span className="viewer-segment-swatch" style={{ background: `rgb(${segment.color.join(",")})` }} aria-hidden="true" />
                    {segment.label}
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
      ))}
      <div className="viewer-field">
        <label htmlFor={`${id}-opacity`}>{t("imaging:segmentation.opacity")}</label>
        <input
          id={`${id}-opacity`}
          type="range"
          min={0}
          max={100}
          step={5}
          value={Math.round(settings.opacity * 100)}
          onChange={(e) => onChange({ ...settings, opacity: Number(e.currentTarget.value) / 100 })}
        />
      </div>
    </section>
  );
}

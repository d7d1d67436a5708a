import { describe, expect, it } from "vitest";
import { nextSliceToFetch } from "~/features/imaging/viewer/slice-prefetch";

/** The whole order in which slices are fetched when the reader stays on `current`. */
function order(count: number, current: number): number[] {
  const started = new Uint8Array(count);
  const out: number[] = [];
  for (let next = nextSliceToFetch(current, started); next !== -1; next = nextSliceToFetch(current, started)) {
    started[next] = 1;
    out.push(next);
  }
  return out;
}

describe("nextSliceToFetch", () => {
  it("goes outward from the slice on screen, the next slice before the previous one", () => {
    expect(order(7, 3)).toEqual([3, 4, 2, 5, 1, 6, 0]);
  });

  it("goes forward from the first slice and backward from the last", () => {
    expect(order(4, 0)).toEqual([0, 1, 2, 3]);
    expect(order(4, 3)).toEqual([3, 2, 1, 0]);
  });

  it("follows the reader: after a jump it continues from the new slice", () => {
    const started = new Uint8Array(10);
    for (const i of [0, 1, 2]) started[i] = 1;
    expect(nextSliceToFetch(8, started)).toBe(8);
    started[8] = 1;
    expect(nextSliceToFetch(8, started)).toBe(9);
    started[9] = 1;
    expect(nextSliceToFetch(8, started)).toBe(7);
  });

  it("answers -1 once every fetch has started, and for an empty stack", () => {
    expect(nextSliceToFetch(0, new Uint8Array([1, 1]))).toBe(-1);
    expect(nextSliceToFetch(0, new Uint8Array(0))).toBe(-1);
  });
});

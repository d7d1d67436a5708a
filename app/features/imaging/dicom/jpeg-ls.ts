/**
 * A JPEG-LS decoder (ITU-T T.87) for the single-component codestreams the server's JPEG-LS renditions are made of
 * (CharLS, through dcmjs-codecs): one scan, lossless (NEAR 0) or near-lossless (every sample within NEAR of the
 * original), 2 to 16 bits a sample, default or LSE-given thresholds.
 * Pure and small, so the viewer decodes in the browser without downloading a 4 MB WebAssembly codec bundle.
 */

export class JpegLsError extends Error {}

export type JpegLsFrame = { width: number; height: number; bitsPerSample: number; samples: Uint8Array | Uint16Array };

/** The most samples one codestream may declare (a 16384 × 16384 image). */
const MAX_SAMPLES = 16384 * 16384;

const J = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15];

type Parameters = { maxVal: number; t1: number; t2: number; t3: number; reset: number };

const clamp = (value: number, low: number, high: number) => (value > high || value < low ? low : value);

/** T.87 C.2.4.1.1.1: the default thresholds for a MAXVAL and NEAR. */
function defaultParameters(maxVal: number, near: number): Parameters {
  if (maxVal >= 128) {
    const factor = (Math.min(maxVal, 4095) + 128) >> 8;
    const t1 = clamp(factor * (3 - 2) + 2 + 3 * near, near + 1, maxVal);
    const t2 = clamp(factor * (7 - 3) + 3 + 5 * near, t1, maxVal);
    return { maxVal, t1, t2, t3: clamp(factor * (21 - 4) + 4 + 7 * near, t2, maxVal), reset: 64 };
  }
  const factor = Math.floor(256 / (maxVal + 1));
  const t1 = clamp(Math.max(2, Math.floor(3 / factor) + 3 * near), near + 1, maxVal);
  const t2 = clamp(Math.max(3, Math.floor(7 / factor) + 5 * near), t1, maxVal);
  return { maxVal, t1, t2, t3: clamp(Math.max(4, Math.floor(21 / factor) + 7 * near), t2, maxVal), reset: 64 };
}

/** Reads the bits of one scan: after a 0xFF byte the next byte's top bit is a stuffed zero (T.87 A.1). */
class BitReader {
  private at: number;
  private bits = 0;
  private count = 0;
  private previousFf = false;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.at = start;
  }

  /** Tops the buffer up to more than 24 bits; past the scan's end (its marker, or the data's end) with zeros. */
  private fill() {
    while (this.count <= 24) {
      const byte = this.at < this.bytes.length ? this.bytes[this.at] : 0xff;
      const next = this.at + 1 < this.bytes.length ? this.bytes[this.at + 1] : 0xff;
      if (!this.previousFf && byte === 0xff && next & 0x80) {
        this.bits = (this.bits << 8) >>> 0;
        this.count += 8;
        continue;
      }
      if (this.previousFf) {
        this.bits = ((this.bits << 7) | byte) >>> 0;
        this.count += 7;
      } else {
        this.bits = ((this.bits << 8) | byte) >>> 0;
        this.count += 8;
      }
      if (this.count < 32) this.bits &= (1 << this.count) - 1;
      this.previousFf = byte === 0xff;
      this.at++;
    }
  }

  bit(): number {
    if (this.count === 0) this.fill();
    this.count--;
    return (this.bits >>> this.count) & 1;
  }

  value(length: number): number {
    let result = 0;
    while (length > 0) {
      if (this.count === 0) this.fill();
      const take = Math.min(length, this.count, 16);
      this.count -= take;
      result = result * (1 << take) + ((this.bits >>> this.count) & ((1 << take) - 1));
      length -= take;
    }
    return result;
  }

  /** The number of 0 bits before the next 1 bit (which is read too). */
  zeros(limit: number): number {
    let zeros = 0;
    for (;;) {
      if (this.count === 0) this.fill();
      const window = (this.bits << (32 - this.count)) >>> 0;
      if (window === 0) {
        zeros += this.count;
        this.count = 0;
      } else {
        const leading = Math.clz32(window);
        this.count -= leading + 1;
        zeros += leading;
        return zeros;
      }
      if (zeros > limit) throw new JpegLsError("unary code too long");
    }
  }
}

type Header = { width: number; height: number; bitsPerSample: number; near: number; parameters: Parameters; scanStart: number };

function readHeader(bytes: Uint8Array): Header {
  const u16 = (at: number) => {
    if (at + 2 > bytes.length) throw new JpegLsError("codestream ends early");
    return (bytes[at] << 8) | bytes[at + 1];
  };
  if (u16(0) !== 0xffd8) throw new JpegLsError("not a JPEG-LS codestream");
  let at = 2;
  let frame: { width: number; height: number; bitsPerSample: number } | null = null;
  let preset: Partial<Parameters> = {};
  for (;;) {
    const marker = u16(at);
    const length = u16(at + 2);
    const body = at + 4;
    if (marker === 0xfff7) {
      const components = bytes[body + 5];
      if (components !== 1) throw new JpegLsError(`${components} components`);
      frame = { bitsPerSample: bytes[body], height: u16(body + 1), width: u16(body + 3) };
    } else if (marker === 0xfff8) {
      if (bytes[body] !== 1) throw new JpegLsError("unsupported LSE segment");
      const [maxVal, t1, t2, t3, reset] = [1, 3, 5, 7, 9].map((offset) => u16(body + offset));
      preset = { maxVal, t1, t2, t3, reset };
    } else if (marker === 0xffda) {
      if (!frame) throw new JpegLsError("scan before frame header");
      const near = bytes[body + 3];
      if (bytes[body] !== 1) throw new JpegLsError("only single-component scans are read");
      const { width, height, bitsPerSample } = frame;
      if (bitsPerSample < 2 || bitsPerSample > 16 || width < 1 || height < 1 || width * height > MAX_SAMPLES) throw new JpegLsError("unsupported frame");
      const maxVal = preset.maxVal || 2 ** bitsPerSample - 1;
      if (near > Math.min(255, maxVal >> 1)) throw new JpegLsError(`NEAR ${near} is out of range`);
      const defaults = defaultParameters(maxVal, near);
      const parameters = {
        maxVal,
        t1: preset.t1 || defaults.t1,
        t2: preset.t2 || defaults.t2,
        t3: preset.t3 || defaults.t3,
        reset: preset.reset || defaults.reset,
      };
      return { width, height, bitsPerSample, near, parameters, scanStart: at + 2 + length };
    } else if (marker < 0xffc0 || marker === 0xffd9) {
      throw new JpegLsError("no scan");
    }
    at += 2 + length;
  }
}

/** Decodes one single-component JPEG-LS codestream, lossless or near-lossless, into its samples, row by row. */
export function decodeJpegLs(bytes: Uint8Array): JpegLsFrame {
  const { width, height, bitsPerSample, near, parameters, scanStart } = readHeader(bytes);
  const { maxVal, t1, t2, t3, reset } = parameters;
  // Near-lossless codes errors quantized in steps of 2·NEAR + 1 (T.87 A.2.1).
  const step = 2 * near + 1;
  const range = Math.floor((maxVal + 2 * near) / step) + 1;
  const qbpp = Math.ceil(Math.log2(range));
  const bpp = Math.max(2, Math.ceil(Math.log2(maxVal + 1)));
  const limit = 2 * (bpp + Math.max(8, bpp));
  const initialA = Math.max(2, (range + 32) >> 6);
  const A = new Int32Array(365).fill(initialA);
  const B = new Int32Array(365);
  const C = new Int32Array(365);
  const N = new Int32Array(365).fill(1);
  // Run interruption contexts: RItype 0 (Ra and Rb differ) and 1.
  const runA = [initialA, initialA];
  const runN = [1, 1];
  const runNn = [0, 0];
  let runIndex = 0;

  // The quantized gradient (T.87 A.3.3) of every difference d, at d + maxVal.
  const quantized = new Int8Array(2 * maxVal + 1);
  for (let d = -maxVal; d <= maxVal; d++)
    quantized[d + maxVal] = d <= -t3 ? -4 : d <= -t2 ? -3 : d <= -t1 ? -2 : d < -near ? -1 : d <= near ? 0 : d < t1 ? 1 : d < t2 ? 2 : d < t3 ? 3 : 4;
  const reader = new BitReader(bytes, scanStart);
  const golomb = (k: number, codeLimit: number) => {
    const high = reader.zeros(codeLimit);
    if (high >= codeLimit - (qbpp + 1)) return reader.value(qbpp) + 1;
    return k === 0 ? high : high * (1 << k) + reader.value(k);
  };
  // T.87 A.4.4 and A.7.2: a predicted value plus the dequantized error, brought back into range.
  const wrap = range * step;
  const reconstruct = (value: number) => {
    const inRange = value < -near ? value + wrap : value > maxVal + near ? value - wrap : value;
    return inRange < 0 ? 0 : inRange > maxVal ? maxVal : inRange;
  };

  const samples = bitsPerSample > 8 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  // Lines with one sample of margin on each side: [0] is x = -1, [width + 1] is x = width.
  let previous = new Int32Array(width + 2);
  let current = new Int32Array(width + 2);

  const runInterruption = (ra: number, rb: number) => {
    const type = Math.abs(ra - rb) <= near ? 1 : 0;
    const temp = type ? runA[1] + (runN[1] >> 1) : runA[0];
    let k = 0;
    while (runN[type] << k < temp) k++;
    const mapped = golomb(k, limit - J[runIndex] - 1);
    const withType = mapped + type;
    const map = withType & 1;
    const magnitude = (withType + map) >> 1;
    const negative = (k !== 0 || 2 * runNn[type] >= runN[type]) === (map === 1);
    const error = negative ? -magnitude : magnitude;
    if (error < 0) runNn[type]++;
    runA[type] += (mapped + 1 - type) >> 1;
    if (runN[type] === reset) {
      runA[type] >>= 1;
      runN[type] >>= 1;
      runNn[type] >>= 1;
    }
    runN[type]++;
    return type ? reconstruct(ra + error * step) : reconstruct(rb + (rb > ra ? error : -error) * step);
  };

  for (let y = 0; y < height; y++) {
    const swap = previous;
    previous = current;
    current = swap;
    previous[width + 1] = previous[width];
    current[0] = previous[1];
    let x = 1;
    while (x <= width) {
      const ra = current[x - 1];
      const rb = previous[x];
      const rc = previous[x - 1];
      const rd = previous[x + 1];
      let q = 81 * quantized[rd - rb + maxVal] + 9 * quantized[rb - rc + maxVal] + quantized[rc - ra + maxVal];
      if (q === 0) {
        // Run mode: samples equal to Ra, then the sample that interrupts the run (unless the line ends).
        let end = x;
        while (reader.bit() === 1) {
          const length = 1 << J[runIndex];
          const count = Math.min(length, width + 1 - end);
          for (let i = 0; i < count; i++) current[end + i] = ra;
          end += count;
          if (count === length && runIndex < 31) runIndex++;
          if (end === width + 1) break;
        }
        if (end !== width + 1) {
          const rest = J[runIndex] > 0 ? reader.value(J[runIndex]) : 0;
          if (end + rest > width) throw new JpegLsError("run beyond the line");
          for (let i = 0; i < rest; i++) current[end + i] = ra;
          end += rest;
          current[end] = runInterruption(ra, previous[end]);
          if (runIndex > 0) runIndex--;
          end++;
        }
        x = end;
        continue;
      }
      const sign = q < 0 ? -1 : 1;
      if (q < 0) q = -q;
      let predicted = rc >= Math.max(ra, rb) ? Math.min(ra, rb) : rc <= Math.min(ra, rb) ? Math.max(ra, rb) : ra + rb - rc;
      predicted += sign * C[q];
      predicted = predicted < 0 ? 0 : predicted > maxVal ? maxVal : predicted;
      let k = 0;
      while (N[q] << k < A[q]) k++;
      const mapped = golomb(k, limit);
      let error = mapped & 1 ? -((mapped + 1) >> 1) : mapped >> 1;
      if (near === 0 && k === 0 && 2 * B[q] + N[q] - 1 < 0) error = -error - 1;
      B[q] += error * step;
      A[q] += Math.abs(error);
      if (N[q] === reset) {
        A[q] >>= 1;
        B[q] >>= 1;
        N[q] >>= 1;
      }
      N[q]++;
      if (B[q] + N[q] <= 0) {
        B[q] += N[q];
        if (B[q] <= -N[q]) B[q] = -N[q] + 1;
        if (C[q] > -128) C[q]--;
      } else if (B[q] > 0) {
        B[q] -= N[q];
        if (B[q] > 0) B[q] = 0;
        if (C[q] < 127) C[q]++;
      }
      current[x] = reconstruct(predicted + sign * error * step);
      x++;
    }
    samples.set(current.subarray(1, width + 1), y * width);
  }
  return { width, height, bitsPerSample, samples };
}

/** The part of cornerstone-core 2.x the viewer uses (the package ships no types). */
declare module "cornerstone-core" {
  export type Image = {
    imageId: string;
    minPixelValue: number;
    maxPixelValue: number;
    slope: number;
    intercept: number;
    windowCenter: number;
    windowWidth: number;
    getPixelData: () => ArrayLike<number>;
    rows: number;
    columns: number;
    height: number;
    width: number;
    color: boolean;
    rgba?: boolean;
    columnPixelSpacing?: number;
    rowPixelSpacing?: number;
    invert: boolean;
    sizeInBytes: number;
  };
  export type Viewport = {
    scale: number;
    translation: { x: number; y: number };
    voi: { windowWidth: number; windowCenter: number };
    invert: boolean;
    rotation: number;
    hflip: boolean;
    vflip: boolean;
  };
  export type EnabledElement = { element: HTMLElement; image?: Image; canvas: HTMLCanvasElement; viewport?: Viewport };
  export function enable(element: HTMLElement, options?: Record<string, unknown>): void;
  export function disable(element: HTMLElement): void;
  export function registerImageLoader(scheme: string, loader: (imageId: string) => { promise: Promise<Image>; cancelFn?: () => void }): void;
  export function loadAndCacheImage(imageId: string): Promise<Image>;
  export function displayImage(element: HTMLElement, image: Image, viewport?: Partial<Viewport>): void;
  export function getViewport(element: HTMLElement): Viewport | undefined;
  export function setViewport(element: HTMLElement, viewport: Partial<Viewport>): void;
  export function getDefaultViewportForImage(element: HTMLElement, image: Image): Viewport;
  export function getEnabledElement(element: HTMLElement): EnabledElement;
  export function resize(element: HTMLElement, fitToWindow?: boolean): void;
  export function fitToWindow(element: HTMLElement): void;
  export function pageToPixel(element: HTMLElement, pageX: number, pageY: number): { x: number; y: number };
  export function setToPixelCoordinateSystem(enabledElement: EnabledElement, context: CanvasRenderingContext2D, scale?: number): void;
  export function updateImage(element: HTMLElement, invalidated?: boolean): void;
  export function pixelToCanvas(element: HTMLElement, point: { x: number; y: number }): { x: number; y: number };
  export const EVENTS: { IMAGE_RENDERED: "cornerstoneimagerendered" };
  export const imageCache: {
    getImageLoadObject(imageId: string): { promise: Promise<Image> } | undefined;
    removeImageLoadObject(imageId: string): void;
  };
}

/**
 * The server-rendered slice shown until the viewer has drawn its own. Fetched at high priority: the browser would
 * otherwise hold a low-priority image back behind the page's scripts. React 18 does not know `fetchPriority`, so the
 * attribute is passed as HTML spells it.
 */
export function PreviewImage({ src }: { src: string }) {
  return <img className="viewer-preview" src={src} alt="" {...{ fetchpriority: "high", elementtiming: "viewer-preview" }} />;
}

import { describe, expect, it } from "vitest";
import { cleanAperioDescription, cleanScannerText, cleanTrestleDescription, cleanVentanaDescription, reduceXml } from "~/features/imaging/slides/slide-text";

describe("what of a scanner's text survives", () => {
  it("keeps vocabulary elements and checked values of XML, drops the rest with what it contains, and is stable", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><!-- scanned for ZHANG SAN --><scn xmlns="http://www.leica-microsystems.com/scn/2010/10/01" name="x"><collection sizeX="10" sizeY="20" name="ZHANG"><barcode>0012345</barcode><image><unknown><pixels sizeX="5"/></unknown><objective>ZHANG</objective><numericalAperture>0.4</numericalAperture><![CDATA[ZHANG]]></image></collection></scn>';
    const reduced = reduceXml(xml);
    expect(reduced).toBe(
      '<?xml version="1.0"?><scn xmlns="http://www.leica-microsystems.com/scn/2010/10/01"><collection sizeX="10" sizeY="20"><image><objective></objective><numericalAperture>0.4</numericalAperture></image></collection></scn>',
    );
    expect(reduceXml(reduced!)).toBe(reduced);
  });

  it("gives null for text that is not well-formed XML, and never a longer text", () => {
    expect(reduceXml('<scn><collection sizeX="1"></scn>')).toBeNull();
    expect(reduceXml("<scn><collection sizeX=1/></scn>")).toBeNull();
    expect(reduceXml("ZHANG SAN <scn/>")).toBe("<scn/>");
    expect(reduceXml("<scn>")).toBeNull();
    expect(reduceXml('<scn><notesé a="1"/><collection sizeX="10"/></scn>')).toBe('<scn><collection sizeX="10"/></scn>');
    expect(reduceXml("<scn sizeX = '1'/>")).toBe('<scn sizeX="1"/>');
    expect(reduceXml('<image sizeX="1"/><image/>')!.length).toBeLessThanOrEqual('<image sizeX="1"/><image/>'.length);
  });

  it("keeps a namespace only when it is a vendor's, and numbers only where numbers belong", () => {
    expect(reduceXml('<OME xmlns="http://zhangsan.example/"><Image ID="Image:0" Name="ZHANG"><Pixels SizeX="12 ZHANG" SizeY="7"/></Image></OME>')).toBe(
      '<OME><Image ID="Image:0"><Pixels SizeY="7"/></Image></OME>',
    );
  });

  it("keeps only a scanner vendor's name, Ventana's directory names and Trestle's optics", () => {
    expect(cleanScannerText("Aperio Leica Biosystems GT450 v1.0.1\0")).toBe("Aperio");
    expect(cleanScannerText("Philips DP v1.0")).toBe("Philips");
    expect(cleanScannerText("ZHANG SAN")).toBe("");
    expect(cleanVentanaDescription("level=2 mag=10 quality=90")).toBe("level=2 mag=10 quality=90");
    expect(cleanVentanaDescription("Label_Image")).toBe("Label_Image");
    expect(cleanVentanaDescription("level=0 mag=40 quality=90 ZHANG")).toBe("");
    expect(cleanTrestleDescription("Background Color=FFFFFF;Objective Power=20;Patient=ZHANG SAN;OverlapsXY= 64 64 32 32;White Balance=ZHANGS")).toBe(
      "Background Color=FFFFFF;Objective Power=20;OverlapsXY= 64 64 32 32",
    );
  });

  it("keeps no number that could be a patient's: leading zeros, lists where one number belongs, long IDs, implausible optics", () => {
    expect(reduceXml('<collection sizeX="0012345" sizeY="1980 05 12"><image><objective>0012345</objective></image></collection>')).toBe(
      "<collection><image><objective></objective></image></collection>",
    );
    expect(reduceXml('<OME><Image ID="Image:0012345"><Pixels ID="Pixels:0" SizeX="1024"/></Image></OME>')).toBe(
      '<OME><Image><Pixels ID="Pixels:0" SizeX="1024"/></Image></OME>',
    );
    expect(cleanAperioDescription("Aperio Image Library v12\n|AppMag = 20|MPP = 0012345")).toBe("Aperio Image Library\n|AppMag = 20");
    expect(cleanTrestleDescription("Objective Power=0012345;OverlapsXY= 64 64 32 32")).toBe("OverlapsXY= 64 64 32 32");
  });
});

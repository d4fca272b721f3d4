import { crc32, deflateRawSync } from "node:zlib";
import { Document, HeadingLevel, Packer, Paragraph } from "docx";
import { PDFDocument, StandardFonts } from "pdf-lib";

/** Real files of every supported format, made by the same libraries people's tools use. */

/** Two pages; the second holds a three-row table laid out in columns, as PDFs draw tables. */
export async function pdfFixture(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle("Quarterly Field Report");
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const first = pdf.addPage([595, 842]);
  const lines = [
    "The survey team visited twelve wetland sites in spring.",
    "Water levels were higher than in any previous year.",
  ];
  lines.forEach((line, i) => first.drawText(line, { x: 50, y: 780 - i * 14, size: 11, font }));
  first.drawText("Bird counts doubled at the northern marshes.", { x: 50, y: 700, size: 11, font });

  const second = pdf.addPage([595, 842]);
  second.drawText("Table 1: Sites and species", { x: 50, y: 780, size: 11, font });
  const table = [
    ["Site", "Species", "Count"],
    ["North Marsh", "Heron", "42"],
    ["South Fen", "Bittern", "7"],
  ];
  table.forEach((row, r) =>
    row.forEach((cell, c) => second.drawText(cell, { x: 50 + c * 150, y: 740 - r * 14, size: 11, font })),
  );
  return pdf.save();
}

export async function docxFixture(): Promise<Uint8Array> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: "Onboarding Guide", heading: HeadingLevel.HEADING_1 }),
          new Paragraph("Welcome to the team. This guide covers your first week."),
          new Paragraph({ text: "Accounts", heading: HeadingLevel.HEADING_2 }),
          new Paragraph("Ask IT for a laptop and a password manager invitation."),
          new Paragraph({ text: "Payroll", heading: HeadingLevel.HEADING_2 }),
          new Paragraph("Salaries are paid on the last working day of each month."),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

export const htmlFixture = `<!doctype html>
<html><head><title>Tea &amp; Health</title><style>body { color: red }</style>
<script>window.secret = "do not index me";</script></head>
<body>
  <nav>Home</nav>
  <h1>Green tea</h1>
  <p>Green tea contains   catechins,&nbsp;which are antioxidants.</p>
  <h2>Brewing</h2>
  <p>Steep for two minutes at 80&deg;C.</p>
  <noscript>Enable JavaScript</noscript>
  <table><tr><th>Type</th><th>Caffeine</th></tr><tr><td>Sencha</td><td>30 mg</td></tr></table>
  <script>console.log("tracking")</script>
</body></html>`;

export const csvFixture = `city,country,population
Lyon,France,"522,250"
"Porto","Portugal",231800

Graz,Austria,"291,072"
`;

export const markdownFixture = `# Cooking Rice

Rinse the rice **three times** before cooking.

## Stovetop

- Use 1.5 cups of water per cup of rice.
- Simmer for [18 minutes](https://example.com/timer).

### Resting

Let it rest, covered, for ten minutes.

| Rice | Water |
| --- | --- |
| Basmati | 1.5 cups |
`;

export const jsonFixture = JSON.stringify([
  { name: "Ada Lovelace", field: "mathematics", works: ["Notes on the Analytical Engine"] },
  { name: "Grace Hopper", field: "computing", honours: { medal: "National Medal of Technology" } },
]);

/** A PDF of nothing but blank pages, as scanners and broken exporters produce. */
export async function blankPagesPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (let i = 0; i < pages; i++) pdf.addPage([595, 842]);
  return pdf.save();
}

/**
 * A Word document whose body unpacks to `unpackedBytes` of spaces: a zip bomb
 * (deflate shrinks it about a thousandfold). Written by hand because a real
 * writer would have to hold the whole body in memory. With `declaredBytes`
 * its directory lies about the body's size, as an attacker's would.
 */
export function zipBombDocx(unpackedBytes: number, declaredBytes?: number): Uint8Array {
  const entries: { name: string; data: Buffer; size: number; crc: number }[] = [];
  const add = (name: string, content: Buffer) =>
    entries.push({ name, data: deflateRawSync(content, { level: 9 }), size: content.length, crc: crc32(content) });
  add("[Content_Types].xml", Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'));
  add("word/document.xml", Buffer.alloc(unpackedBytes, 0x20));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.name === "word/document.xml" && declaredBytes !== undefined ? declaredBytes : entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.name === "word/document.xml" && declaredBytes !== undefined ? declaredBytes : entry.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

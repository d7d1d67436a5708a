/** Raw genomic files in every format the HGR guard knows, written by samtools, bgzip, bcftools and gzip rather than by us. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

function seeded(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/** Each file's bytes by a descriptive name, with the format the guard should report. */
export function makeGenomicFiles(): { name: string; format: string; bytes: Buffer }[] {
  const dir = mkdtempSync(path.join(tmpdir(), "genomic-"));
  const random = seeded(7);
  const bases = (n: number) => Array.from({ length: n }, () => "ACGT"[Math.floor(random() * 4)]).join("");
  const reads = Array.from({ length: 200 }, (_, i) => `@patient_read_${i}/1\n${bases(100)}\n+\n${"I".repeat(100)}\n`).join("");
  writeFileSync(path.join(dir, "reads.fq"), reads);
  const reference = bases(1200);
  writeFileSync(path.join(dir, "ref.fa"), `>chr7 EGFR region\n${reference.match(/.{1,60}/g)!.join("\n")}\n`);
  const calls = ["##fileformat=VCFv4.2", "##contig=<ID=chr7,length=1200>", "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"];
  for (let pos = 10; pos < 200; pos += 10) calls.push(`chr7\t${pos}\t.\tA\tG\t50\tPASS\t.`);
  writeFileSync(path.join(dir, "calls.vcf"), calls.join("\n") + "\n");

  const run = (command: string, ...args: string[]) => execFileSync(command, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  run("samtools", "import", "-0", "reads.fq", "-o", "reads.bam");
  run("samtools", "import", "-0", "reads.fq", "-O", "cram", "-o", "reads.cram");
  writeFileSync(path.join(dir, "reads.sam"), run("samtools", "view", "-h", "reads.bam"));
  run("bgzip", "-k", "reads.fq");
  run("bgzip", "-k", "calls.vcf");
  run("bcftools", "view", "-Ob", "-o", "calls.bcf", "calls.vcf");
  writeFileSync(path.join(dir, "reads.fq.gzip"), run("gzip", "-c", "reads.fq"));

  const read = (file: string) => readFileSync(path.join(dir, file));
  return [
    { name: "FASTQ", format: "FASTQ", bytes: read("reads.fq") },
    { name: "FASTQ, bgzip", format: "FASTQ", bytes: read("reads.fq.gz") },
    { name: "FASTQ, gzip", format: "FASTQ", bytes: read("reads.fq.gzip") },
    { name: "FASTA", format: "FASTA", bytes: read("ref.fa") },
    { name: "SAM", format: "SAM", bytes: read("reads.sam") },
    { name: "BAM", format: "BAM", bytes: read("reads.bam") },
    { name: "CRAM", format: "CRAM", bytes: read("reads.cram") },
    { name: "VCF", format: "VCF", bytes: read("calls.vcf") },
    { name: "VCF, bgzip", format: "VCF", bytes: read("calls.vcf.gz") },
    { name: "BCF", format: "BCF", bytes: read("calls.bcf") },
  ];
}

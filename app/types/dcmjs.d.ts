/** The part of dcmjs the table generator reads: its data dictionary. */
declare module "dcmjs" {
  const dcmjs: { data: { DicomMetaDictionary: { nameMap: Record<string, { tag: string; vr: string; name: string }> } } };
  export default dcmjs;
}

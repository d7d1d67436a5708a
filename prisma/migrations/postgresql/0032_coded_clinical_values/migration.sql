-- Issue 18: what reached consultants abroad as Chinese free text is coded where a code exists.
--  * Case."primarySiteCode": the ICD-O-3 topography code of the primary site ("primarySite" keeps the site as typed);
--    the histology was already coded by "icdO3Code" ("histology" keeps it as typed).
--  * TreatmentLine."drugs": a JSON array of drug codes (the English names of the glossary's drug list) and "stopReason";
--    "regimen" and "reasonStopped" keep what was typed.
--  * Biomarker: the kind of alteration and its HGVS expression, the result as a category or a value with its unit, the
--    kind of specimen, and one "note" for everything else as typed; the free-text "alteration" and "result" columns go
--    into the codes where they name one exactly, and otherwise into "note", and are then dropped.
-- Existing values that match exactly one code (a title of the code lists as they stand today, in English or Chinese,
-- ignoring "NOS" and, for sites, a leading side such as 右/左/left/right) are coded here. Nothing typed is dropped: what
-- was coded stays beside its code as the original, and what was not is shown as written, marked untranslated.

ALTER TABLE "Case" ADD COLUMN "primarySiteCode" TEXT;
ALTER TABLE "TreatmentLine" ADD COLUMN "drugs" TEXT NOT NULL DEFAULT '[]';
ALTER TABLE "TreatmentLine" ADD COLUMN "stopReason" TEXT;
ALTER TABLE "Biomarker" ADD COLUMN "alterationType" TEXT;
ALTER TABLE "Biomarker" ADD COLUMN "hgvs" TEXT;
ALTER TABLE "Biomarker" ADD COLUMN "resultCode" TEXT;
ALTER TABLE "Biomarker" ADD COLUMN "resultValue" DOUBLE PRECISION;
ALTER TABLE "Biomarker" ADD COLUMN "resultUnit" TEXT;
ALTER TABLE "Biomarker" ADD COLUMN "specimenType" TEXT;
ALTER TABLE "Biomarker" ADD COLUMN "note" TEXT;

-- Primary sites: each ICD-O-3 site by its titles, lower-cased, with and without "NOS".
CREATE TEMP TABLE "_Site" ("code" TEXT NOT NULL, "title" TEXT NOT NULL) ON COMMIT DROP;
INSERT INTO "_Site" ("code", "title") VALUES
  ('C00.0', 'external upper lip'), ('C00.0', '上唇外面'), ('C00.1', 'external lower lip'), ('C00.1', '下唇外面'),
  ('C00.2', 'external lip'), ('C00.2', 'external lip, nos'), ('C00.2', '唇外面'), ('C00.2', '唇外面，非特指'),
  ('C00.3', 'mucosa of upper lip'), ('C00.3', '上唇黏膜'), ('C00.4', 'mucosa of lower lip'), ('C00.4', '下唇黏膜'),
  ('C00.5', 'mucosa of lip'), ('C00.5', 'mucosa of lip, nos'), ('C00.5', '唇黏膜'), ('C00.5', '唇黏膜，非特指'),
  ('C00.6', 'commissure of lip'), ('C00.6', '唇连合'), ('C00.8', 'overlapping lesion of lip'), ('C00.8', '唇交搭跨越病灶'),
  ('C00.9', 'lip'), ('C00.9', 'lip, nos'), ('C00.9', '唇'), ('C00.9', '唇，非特指'),
  ('C01.9', 'base of tongue'), ('C01.9', 'base of tongue, nos'), ('C01.9', '舌根'), ('C01.9', '舌根，非特指'),
  ('C02.0', 'dorsal surface of tongue'), ('C02.0', 'dorsal surface of tongue, nos'), ('C02.0', '舌背面'), ('C02.0', '舌背面，非特指'),
  ('C02.1', 'border of tongue'), ('C02.1', '舌缘'), ('C02.2', 'ventral surface of tongue'), ('C02.2', 'ventral surface of tongue, nos'),
  ('C02.2', '舌腹面'), ('C02.2', '舌腹面，非特指'), ('C02.3', 'anterior 2/3 of tongue'), ('C02.3', 'anterior 2/3 of tongue, nos'),
  ('C02.3', '舌前2/3'), ('C02.3', '舌前2/3，非特指'), ('C02.4', 'lingual tonsil'), ('C02.4', '舌扁桃体'),
  ('C02.8', 'overlapping lesion of tongue'), ('C02.8', '舌交搭跨越病灶'), ('C02.9', 'tongue'), ('C02.9', 'tongue, nos'),
  ('C02.9', '舌'), ('C02.9', '舌，非特指'), ('C03.0', 'upper gum'), ('C03.0', '上牙龈'),
  ('C03.1', 'lower gum'), ('C03.1', '下牙龈'), ('C03.9', 'gum'), ('C03.9', 'gum, nos'),
  ('C03.9', '牙龈'), ('C03.9', '牙龈，非特指'), ('C04.0', 'anterior floor of mouth'), ('C04.0', '口底前部'),
  ('C04.1', 'lateral floor of mouth'), ('C04.1', '口底侧部'), ('C04.8', 'overlapping lesion of floor of mouth'), ('C04.8', '口底交搭跨越病灶'),
  ('C04.9', 'floor of mouth'), ('C04.9', 'floor of mouth, nos'), ('C04.9', '口底'), ('C04.9', '口底，非特指'),
  ('C05.0', 'hard palate'), ('C05.0', '硬腭'), ('C05.1', 'soft palate'), ('C05.1', 'soft palate, nos'),
  ('C05.1', '软腭'), ('C05.1', '软腭，非特指'), ('C05.2', 'uvula'), ('C05.2', '悬雍垂'),
  ('C05.8', 'overlapping lesion of palate'), ('C05.8', '腭交搭跨越病灶'), ('C05.9', 'palate'), ('C05.9', 'palate, nos'),
  ('C05.9', '腭'), ('C05.9', '腭，非特指'), ('C06.0', 'cheek mucosa'), ('C06.0', '颊黏膜'),
  ('C06.1', 'vestibule of mouth'), ('C06.1', '口腔前庭'), ('C06.2', 'retromolar area'), ('C06.2', '磨牙后区'),
  ('C06.8', 'overlapping lesion of other and unspecified parts of mouth'), ('C06.8', '口腔其他和未特指部位交搭跨越病灶'), ('C06.9', 'mouth'), ('C06.9', 'mouth, nos'),
  ('C06.9', '口腔'), ('C06.9', '口腔，非特指'), ('C07.9', 'parotid gland'), ('C07.9', '腮腺'),
  ('C08.0', 'submandibular gland'), ('C08.0', '下颌下腺'), ('C08.1', 'sublingual gland'), ('C08.1', '舌下腺'),
  ('C08.8', 'overlapping lesion of major salivary glands'), ('C08.8', '大唾液腺交搭跨越病灶'), ('C08.9', 'major salivary gland'), ('C08.9', 'major salivary gland, nos'),
  ('C08.9', '大唾液腺'), ('C08.9', '大唾液腺，非特指'), ('C09.0', 'tonsillar fossa'), ('C09.0', '扁桃体窝'),
  ('C09.1', 'tonsillar pillar'), ('C09.1', '扁桃体柱'), ('C09.8', 'overlapping lesion of tonsil'), ('C09.8', '扁桃体交搭跨越病灶'),
  ('C09.9', 'tonsil'), ('C09.9', 'tonsil, nos'), ('C09.9', '扁桃体'), ('C09.9', '扁桃体，非特指'),
  ('C10.0', 'vallecula'), ('C10.0', '会厌谷'), ('C10.1', 'anterior surface of epiglottis'), ('C10.1', '会厌前面'),
  ('C10.2', 'lateral wall of oropharynx'), ('C10.2', '口咽侧壁'), ('C10.3', 'posterior wall of oropharynx'), ('C10.3', '口咽后壁'),
  ('C10.4', 'branchial cleft'), ('C10.4', '鳃裂'), ('C10.8', 'overlapping lesion of oropharynx'), ('C10.8', '口咽交搭跨越病灶'),
  ('C10.9', 'oropharynx'), ('C10.9', 'oropharynx, nos'), ('C10.9', '口咽'), ('C10.9', '口咽，非特指'),
  ('C11.0', 'superior wall of nasopharynx'), ('C11.0', '鼻咽上壁'), ('C11.1', 'posterior wall of nasopharynx'), ('C11.1', '鼻咽后壁'),
  ('C11.2', 'lateral wall of nasopharynx'), ('C11.2', '鼻咽侧壁'), ('C11.3', 'anterior wall of nasopharynx'), ('C11.3', '鼻咽前壁'),
  ('C11.8', 'overlapping lesion of nasopharynx'), ('C11.8', '鼻咽交搭跨越病灶'), ('C11.9', 'nasopharynx'), ('C11.9', 'nasopharynx, nos'),
  ('C11.9', '鼻咽'), ('C11.9', '鼻咽，非特指'), ('C12.9', 'pyriform sinus'), ('C12.9', '梨状窝'),
  ('C13.0', 'postcricoid region'), ('C13.0', '环状软骨后区'), ('C13.1', 'hypopharyngeal aspect of aryepiglottic fold'), ('C13.1', '杓会厌襞下咽面'),
  ('C13.2', 'posterior wall of hypopharynx'), ('C13.2', '下咽后壁'), ('C13.8', 'overlapping lesion of hypopharynx'), ('C13.8', '下咽交搭跨越病灶'),
  ('C13.9', 'hypopharynx'), ('C13.9', 'hypopharynx, nos'), ('C13.9', '下咽'), ('C13.9', '下咽，非特指'),
  ('C14.0', 'pharynx'), ('C14.0', 'pharynx, nos'), ('C14.0', '咽'), ('C14.0', '咽，非特指'),
  ('C14.2', 'waldeyer ring'), ('C14.2', '咽淋巴环（Waldeyer环）'), ('C14.8', 'overlapping lesion of lip, oral cavity and pharynx'), ('C14.8', '唇、口腔和咽交搭跨越病灶'),
  ('C15.0', 'cervical esophagus'), ('C15.0', '颈段食管'), ('C15.1', 'thoracic esophagus'), ('C15.1', '胸段食管'),
  ('C15.2', 'abdominal esophagus'), ('C15.2', '腹段食管'), ('C15.3', 'upper third of esophagus'), ('C15.3', '食管上1/3'),
  ('C15.4', 'middle third of esophagus'), ('C15.4', '食管中1/3'), ('C15.5', 'lower third of esophagus'), ('C15.5', '食管下1/3'),
  ('C15.8', 'overlapping lesion of esophagus'), ('C15.8', '食管交搭跨越病灶'), ('C15.9', 'esophagus'), ('C15.9', 'esophagus, nos'),
  ('C15.9', '食管'), ('C15.9', '食管，非特指'), ('C16.0', 'cardia'), ('C16.0', 'cardia, nos'),
  ('C16.0', '贲门'), ('C16.0', '贲门，非特指'), ('C16.1', 'fundus of stomach'), ('C16.1', '胃底'),
  ('C16.2', 'body of stomach'), ('C16.2', '胃体'), ('C16.3', 'gastric antrum'), ('C16.3', '胃窦'),
  ('C16.4', 'pylorus'), ('C16.4', '幽门'), ('C16.5', 'lesser curvature of stomach'), ('C16.5', 'lesser curvature of stomach, nos'),
  ('C16.5', '胃小弯'), ('C16.5', '胃小弯，非特指'), ('C16.6', 'greater curvature of stomach'), ('C16.6', 'greater curvature of stomach, nos'),
  ('C16.6', '胃大弯'), ('C16.6', '胃大弯，非特指'), ('C16.8', 'overlapping lesion of stomach'), ('C16.8', '胃交搭跨越病灶'),
  ('C16.9', 'stomach'), ('C16.9', 'stomach, nos'), ('C16.9', '胃'), ('C16.9', '胃，非特指'),
  ('C17.0', 'duodenum'), ('C17.0', '十二指肠'), ('C17.1', 'jejunum'), ('C17.1', '空肠'),
  ('C17.2', 'ileum'), ('C17.2', '回肠'), ('C17.3', 'meckel diverticulum'), ('C17.3', '梅克尔憩室'),
  ('C17.8', 'overlapping lesion of small intestine'), ('C17.8', '小肠交搭跨越病灶'), ('C17.9', 'small intestine'), ('C17.9', 'small intestine, nos'),
  ('C17.9', '小肠'), ('C17.9', '小肠，非特指'), ('C18.0', 'cecum'), ('C18.0', '盲肠'),
  ('C18.1', 'appendix'), ('C18.1', '阑尾'), ('C18.2', 'ascending colon'), ('C18.2', '升结肠'),
  ('C18.3', 'hepatic flexure of colon'), ('C18.3', '结肠肝曲'), ('C18.4', 'transverse colon'), ('C18.4', '横结肠'),
  ('C18.5', 'splenic flexure of colon'), ('C18.5', '结肠脾曲'), ('C18.6', 'descending colon'), ('C18.6', '降结肠'),
  ('C18.7', 'sigmoid colon'), ('C18.7', '乙状结肠'), ('C18.8', 'overlapping lesion of colon'), ('C18.8', '结肠交搭跨越病灶'),
  ('C18.9', 'colon'), ('C18.9', 'colon, nos'), ('C18.9', '结肠'), ('C18.9', '结肠，非特指'),
  ('C19.9', 'rectosigmoid junction'), ('C19.9', '直肠乙状结肠连接处'), ('C20.9', 'rectum'), ('C20.9', 'rectum, nos'),
  ('C20.9', '直肠'), ('C20.9', '直肠，非特指'), ('C21.0', 'anus'), ('C21.0', 'anus, nos'),
  ('C21.0', '肛门'), ('C21.0', '肛门，非特指'), ('C21.1', 'anal canal'), ('C21.1', '肛管'),
  ('C21.2', 'cloacogenic zone'), ('C21.2', '泄殖腔区'), ('C21.8', 'overlapping lesion of rectum, anus and anal canal'), ('C21.8', '直肠、肛门和肛管交搭跨越病灶'),
  ('C22.0', 'liver'), ('C22.0', '肝'), ('C22.1', 'intrahepatic bile duct'), ('C22.1', '肝内胆管'),
  ('C23.9', 'gallbladder'), ('C23.9', '胆囊'), ('C24.0', 'extrahepatic bile duct'), ('C24.0', '肝外胆管'),
  ('C24.1', 'ampulla of vater'), ('C24.1', '壶腹（Vater壶腹）'), ('C24.8', 'overlapping lesion of biliary tract'), ('C24.8', '胆道交搭跨越病灶'),
  ('C24.9', 'biliary tract'), ('C24.9', 'biliary tract, nos'), ('C24.9', '胆道'), ('C24.9', '胆道，非特指'),
  ('C25.0', 'head of pancreas'), ('C25.0', '胰头'), ('C25.1', 'body of pancreas'), ('C25.1', '胰体'),
  ('C25.2', 'tail of pancreas'), ('C25.2', '胰尾'), ('C25.3', 'pancreatic duct'), ('C25.3', '胰管'),
  ('C25.4', 'islets of langerhans'), ('C25.4', '胰岛'), ('C25.7', 'other specified parts of pancreas'), ('C25.7', '胰腺其他特指部位'),
  ('C25.8', 'overlapping lesion of pancreas'), ('C25.8', '胰腺交搭跨越病灶'), ('C25.9', 'pancreas'), ('C25.9', 'pancreas, nos'),
  ('C25.9', '胰腺'), ('C25.9', '胰腺，非特指'), ('C26.0', 'intestinal tract'), ('C26.0', 'intestinal tract, nos'),
  ('C26.0', '肠道'), ('C26.0', '肠道，非特指'), ('C26.8', 'overlapping lesion of digestive system'), ('C26.8', '消化系统交搭跨越病灶'),
  ('C26.9', 'gastrointestinal tract'), ('C26.9', 'gastrointestinal tract, nos'), ('C26.9', '胃肠道'), ('C26.9', '胃肠道，非特指'),
  ('C30.0', 'nasal cavity'), ('C30.0', '鼻腔'), ('C30.1', 'middle ear'), ('C30.1', '中耳'),
  ('C31.0', 'maxillary sinus'), ('C31.0', '上颌窦'), ('C31.1', 'ethmoid sinus'), ('C31.1', '筛窦'),
  ('C31.2', 'frontal sinus'), ('C31.2', '额窦'), ('C31.3', 'sphenoid sinus'), ('C31.3', '蝶窦'),
  ('C31.8', 'overlapping lesion of accessory sinuses'), ('C31.8', '鼻旁窦交搭跨越病灶'), ('C31.9', 'accessory sinus'), ('C31.9', 'accessory sinus, nos'),
  ('C31.9', '鼻旁窦'), ('C31.9', '鼻旁窦，非特指'), ('C32.0', 'glottis'), ('C32.0', '声门'),
  ('C32.1', 'supraglottis'), ('C32.1', '声门上'), ('C32.2', 'subglottis'), ('C32.2', '声门下'),
  ('C32.3', 'laryngeal cartilage'), ('C32.3', '喉软骨'), ('C32.8', 'overlapping lesion of larynx'), ('C32.8', '喉交搭跨越病灶'),
  ('C32.9', 'larynx'), ('C32.9', 'larynx, nos'), ('C32.9', '喉'), ('C32.9', '喉，非特指'),
  ('C33.9', 'trachea'), ('C33.9', '气管'), ('C34.0', 'main bronchus'), ('C34.0', '主支气管'),
  ('C34.1', 'upper lobe, lung'), ('C34.1', '肺上叶'), ('C34.2', 'middle lobe, lung'), ('C34.2', '肺中叶'),
  ('C34.3', 'lower lobe, lung'), ('C34.3', '肺下叶'), ('C34.8', 'overlapping lesion of lung'), ('C34.8', '肺交搭跨越病灶'),
  ('C34.9', 'lung'), ('C34.9', 'lung, nos'), ('C34.9', '肺'), ('C34.9', '肺，非特指'),
  ('C37.9', 'thymus'), ('C37.9', '胸腺'), ('C38.0', 'heart'), ('C38.0', '心脏'),
  ('C38.1', 'anterior mediastinum'), ('C38.1', '前纵隔'), ('C38.2', 'posterior mediastinum'), ('C38.2', '后纵隔'),
  ('C38.3', 'mediastinum'), ('C38.3', 'mediastinum, nos'), ('C38.3', '纵隔'), ('C38.3', '纵隔，非特指'),
  ('C38.4', 'pleura'), ('C38.4', 'pleura, nos'), ('C38.4', '胸膜'), ('C38.4', '胸膜，非特指'),
  ('C38.8', 'overlapping lesion of heart, mediastinum and pleura'), ('C38.8', '心脏、纵隔和胸膜交搭跨越病灶'), ('C39.0', 'upper respiratory tract'), ('C39.0', 'upper respiratory tract, nos'),
  ('C39.0', '上呼吸道'), ('C39.0', '上呼吸道，非特指'), ('C39.8', 'overlapping lesion of respiratory system and intrathoracic organs'), ('C39.8', '呼吸系统和胸腔内器官交搭跨越病灶'),
  ('C39.9', 'ill-defined sites within respiratory system'), ('C39.9', '呼吸系统内不明确的部位'), ('C40.0', 'long bones of upper limb, scapula and associated joints'), ('C40.0', '上肢长骨、肩胛骨及相关关节'),
  ('C40.1', 'short bones of upper limb and associated joints'), ('C40.1', '上肢短骨及相关关节'), ('C40.2', 'long bones of lower limb and associated joints'), ('C40.2', '下肢长骨及相关关节'),
  ('C40.3', 'short bones of lower limb and associated joints'), ('C40.3', '下肢短骨及相关关节'), ('C40.8', 'overlapping lesion of bones, joints and articular cartilage of limbs'), ('C40.8', '四肢骨、关节和关节软骨交搭跨越病灶'),
  ('C40.9', 'bone of limb'), ('C40.9', 'bone of limb, nos'), ('C40.9', '四肢骨'), ('C40.9', '四肢骨，非特指'),
  ('C41.0', 'bones of skull and face and associated joints'), ('C41.0', '颅骨、面骨及相关关节'), ('C41.1', 'mandible'), ('C41.1', '下颌骨'),
  ('C41.2', 'vertebral column'), ('C41.2', '脊柱'), ('C41.3', 'rib, sternum, clavicle and associated joints'), ('C41.3', '肋骨、胸骨、锁骨及相关关节'),
  ('C41.4', 'pelvic bones, sacrum, coccyx and associated joints'), ('C41.4', '骨盆骨、骶骨、尾骨及相关关节'), ('C41.8', 'overlapping lesion of bones, joints and articular cartilage'), ('C41.8', '骨、关节和关节软骨交搭跨越病灶'),
  ('C41.9', 'bone'), ('C41.9', 'bone, nos'), ('C41.9', '骨'), ('C41.9', '骨，非特指'),
  ('C42.0', 'blood'), ('C42.0', '血液'), ('C42.1', 'bone marrow'), ('C42.1', '骨髓'),
  ('C42.2', 'spleen'), ('C42.2', '脾'), ('C42.3', 'reticuloendothelial system'), ('C42.3', 'reticuloendothelial system, nos'),
  ('C42.3', '网状内皮系统'), ('C42.3', '网状内皮系统，非特指'), ('C42.4', 'hematopoietic system'), ('C42.4', 'hematopoietic system, nos'),
  ('C42.4', '造血系统'), ('C42.4', '造血系统，非特指'), ('C44.0', 'skin of lip'), ('C44.0', 'skin of lip, nos'),
  ('C44.0', '唇皮肤'), ('C44.0', '唇皮肤，非特指'), ('C44.1', 'eyelid'), ('C44.1', '眼睑'),
  ('C44.2', 'external ear'), ('C44.2', '外耳'), ('C44.3', 'skin of other and unspecified parts of face'), ('C44.3', '面部其他和未特指部位皮肤'),
  ('C44.4', 'skin of scalp and neck'), ('C44.4', '头皮和颈部皮肤'), ('C44.5', 'skin of trunk'), ('C44.5', '躯干皮肤'),
  ('C44.6', 'skin of upper limb and shoulder'), ('C44.6', '上肢和肩部皮肤'), ('C44.7', 'skin of lower limb and hip'), ('C44.7', '下肢和髋部皮肤'),
  ('C44.8', 'overlapping lesion of skin'), ('C44.8', '皮肤交搭跨越病灶'), ('C44.9', 'skin'), ('C44.9', 'skin, nos'),
  ('C44.9', '皮肤'), ('C44.9', '皮肤，非特指'), ('C47.0', 'peripheral nerves and autonomic nervous system of head, face, and neck'), ('C47.0', '头、面和颈部周围神经和自主神经系统'),
  ('C47.1', 'peripheral nerves and autonomic nervous system of upper limb and shoulder'), ('C47.1', '上肢和肩部周围神经和自主神经系统'), ('C47.2', 'peripheral nerves and autonomic nervous system of lower limb and hip'), ('C47.2', '下肢和髋部周围神经和自主神经系统'),
  ('C47.3', 'peripheral nerves and autonomic nervous system of thorax'), ('C47.3', '胸部周围神经和自主神经系统'), ('C47.4', 'peripheral nerves and autonomic nervous system of abdomen'), ('C47.4', '腹部周围神经和自主神经系统'),
  ('C47.5', 'peripheral nerves and autonomic nervous system of pelvis'), ('C47.5', '盆部周围神经和自主神经系统'), ('C47.6', 'peripheral nerves and autonomic nervous system of trunk'), ('C47.6', 'peripheral nerves and autonomic nervous system of trunk, nos'),
  ('C47.6', '躯干周围神经和自主神经系统'), ('C47.6', '躯干周围神经和自主神经系统，非特指'), ('C47.8', 'overlapping lesion of peripheral nerves and autonomic nervous system'), ('C47.8', '周围神经和自主神经系统交搭跨越病灶'),
  ('C47.9', 'autonomic nervous system'), ('C47.9', 'autonomic nervous system, nos'), ('C47.9', '自主神经系统'), ('C47.9', '自主神经系统，非特指'),
  ('C48.0', 'retroperitoneum'), ('C48.0', '腹膜后'), ('C48.1', 'specified parts of peritoneum'), ('C48.1', '腹膜特指部位'),
  ('C48.2', 'peritoneum'), ('C48.2', 'peritoneum, nos'), ('C48.2', '腹膜'), ('C48.2', '腹膜，非特指'),
  ('C48.8', 'overlapping lesion of retroperitoneum and peritoneum'), ('C48.8', '腹膜后和腹膜交搭跨越病灶'), ('C49.0', 'connective, subcutaneous and other soft tissues of head, face, and neck'), ('C49.0', '头、面和颈部结缔组织、皮下组织和其他软组织'),
  ('C49.1', 'connective, subcutaneous and other soft tissues of upper limb and shoulder'), ('C49.1', '上肢和肩部结缔组织、皮下组织和其他软组织'), ('C49.2', 'connective, subcutaneous and other soft tissues of lower limb and hip'), ('C49.2', '下肢和髋部结缔组织、皮下组织和其他软组织'),
  ('C49.3', 'connective, subcutaneous and other soft tissues of thorax'), ('C49.3', '胸部结缔组织、皮下组织和其他软组织'), ('C49.4', 'connective, subcutaneous and other soft tissues of abdomen'), ('C49.4', '腹部结缔组织、皮下组织和其他软组织'),
  ('C49.5', 'connective, subcutaneous and other soft tissues of pelvis'), ('C49.5', '盆部结缔组织、皮下组织和其他软组织'), ('C49.6', 'connective, subcutaneous and other soft tissues of trunk'), ('C49.6', 'connective, subcutaneous and other soft tissues of trunk, nos'),
  ('C49.6', '躯干结缔组织、皮下组织和其他软组织'), ('C49.6', '躯干结缔组织、皮下组织和其他软组织，非特指'), ('C49.8', 'overlapping lesion of connective, subcutaneous and other soft tissues'), ('C49.8', '结缔组织、皮下组织和其他软组织交搭跨越病灶'),
  ('C49.9', 'connective, subcutaneous and other soft tissues'), ('C49.9', 'connective, subcutaneous and other soft tissues, nos'), ('C49.9', '结缔组织、皮下组织和其他软组织'), ('C49.9', '结缔组织、皮下组织和其他软组织，非特指'),
  ('C50.0', 'nipple'), ('C50.0', '乳头'), ('C50.1', 'central portion of breast'), ('C50.1', '乳房中央部'),
  ('C50.2', 'upper-inner quadrant of breast'), ('C50.2', '乳房上内象限'), ('C50.3', 'lower-inner quadrant of breast'), ('C50.3', '乳房下内象限'),
  ('C50.4', 'upper-outer quadrant of breast'), ('C50.4', '乳房上外象限'), ('C50.5', 'lower-outer quadrant of breast'), ('C50.5', '乳房下外象限'),
  ('C50.6', 'axillary tail of breast'), ('C50.6', '乳房腋尾部'), ('C50.8', 'overlapping lesion of breast'), ('C50.8', '乳房交搭跨越病灶'),
  ('C50.9', 'breast'), ('C50.9', 'breast, nos'), ('C50.9', '乳房'), ('C50.9', '乳房，非特指'),
  ('C51.0', 'labium majus'), ('C51.0', '大阴唇'), ('C51.1', 'labium minus'), ('C51.1', '小阴唇'),
  ('C51.2', 'clitoris'), ('C51.2', '阴蒂'), ('C51.8', 'overlapping lesion of vulva'), ('C51.8', '外阴交搭跨越病灶'),
  ('C51.9', 'vulva'), ('C51.9', 'vulva, nos'), ('C51.9', '外阴'), ('C51.9', '外阴，非特指'),
  ('C52.9', 'vagina'), ('C52.9', 'vagina, nos'), ('C52.9', '阴道'), ('C52.9', '阴道，非特指'),
  ('C53.0', 'endocervix'), ('C53.0', '宫颈管内膜'), ('C53.1', 'exocervix'), ('C53.1', '宫颈外部'),
  ('C53.8', 'overlapping lesion of cervix uteri'), ('C53.8', '子宫颈交搭跨越病灶'), ('C53.9', 'cervix uteri'), ('C53.9', '子宫颈'),
  ('C54.0', 'isthmus uteri'), ('C54.0', '子宫峡部'), ('C54.1', 'endometrium'), ('C54.1', '子宫内膜'),
  ('C54.2', 'myometrium'), ('C54.2', '子宫肌层'), ('C54.3', 'fundus uteri'), ('C54.3', '子宫底'),
  ('C54.8', 'overlapping lesion of corpus uteri'), ('C54.8', '子宫体交搭跨越病灶'), ('C54.9', 'corpus uteri'), ('C54.9', '子宫体'),
  ('C55.9', 'uterus'), ('C55.9', 'uterus, nos'), ('C55.9', '子宫'), ('C55.9', '子宫，非特指'),
  ('C56.9', 'ovary'), ('C56.9', '卵巢'), ('C57.0', 'fallopian tube'), ('C57.0', '输卵管'),
  ('C57.1', 'broad ligament'), ('C57.1', '阔韧带'), ('C57.2', 'round ligament'), ('C57.2', '圆韧带'),
  ('C57.3', 'parametrium'), ('C57.3', '子宫旁组织'), ('C57.4', 'uterine adnexa'), ('C57.4', '子宫附件'),
  ('C57.7', 'other specified parts of female genital organs'), ('C57.7', '女性生殖器官其他特指部位'), ('C57.8', 'overlapping lesion of female genital organs'), ('C57.8', '女性生殖器官交搭跨越病灶'),
  ('C57.9', 'female genital tract'), ('C57.9', 'female genital tract, nos'), ('C57.9', '女性生殖道'), ('C57.9', '女性生殖道，非特指'),
  ('C58.9', 'placenta'), ('C58.9', '胎盘'), ('C60.0', 'prepuce'), ('C60.0', '包皮'),
  ('C60.1', 'glans penis'), ('C60.1', '阴茎头'), ('C60.2', 'body of penis'), ('C60.2', '阴茎体'),
  ('C60.8', 'overlapping lesion of penis'), ('C60.8', '阴茎交搭跨越病灶'), ('C60.9', 'penis'), ('C60.9', 'penis, nos'),
  ('C60.9', '阴茎'), ('C60.9', '阴茎，非特指'), ('C61.9', 'prostate gland'), ('C61.9', '前列腺'),
  ('C62.0', 'undescended testis'), ('C62.0', '未降睾丸'), ('C62.1', 'descended testis'), ('C62.1', '已降睾丸'),
  ('C62.9', 'testis'), ('C62.9', 'testis, nos'), ('C62.9', '睾丸'), ('C62.9', '睾丸，非特指'),
  ('C63.0', 'epididymis'), ('C63.0', '附睾'), ('C63.1', 'spermatic cord'), ('C63.1', '精索'),
  ('C63.2', 'scrotum'), ('C63.2', 'scrotum, nos'), ('C63.2', '阴囊'), ('C63.2', '阴囊，非特指'),
  ('C63.7', 'other specified parts of male genital organs'), ('C63.7', '男性生殖器官其他特指部位'), ('C63.8', 'overlapping lesion of male genital organs'), ('C63.8', '男性生殖器官交搭跨越病灶'),
  ('C63.9', 'male genital organs'), ('C63.9', 'male genital organs, nos'), ('C63.9', '男性生殖器官'), ('C63.9', '男性生殖器官，非特指'),
  ('C64.9', 'kidney'), ('C64.9', 'kidney, nos'), ('C64.9', '肾'), ('C64.9', '肾，非特指'),
  ('C65.9', 'renal pelvis'), ('C65.9', '肾盂'), ('C66.9', 'ureter'), ('C66.9', '输尿管'),
  ('C67.0', 'trigone of bladder'), ('C67.0', '膀胱三角区'), ('C67.1', 'dome of bladder'), ('C67.1', '膀胱顶'),
  ('C67.2', 'lateral wall of bladder'), ('C67.2', '膀胱侧壁'), ('C67.3', 'anterior wall of bladder'), ('C67.3', '膀胱前壁'),
  ('C67.4', 'posterior wall of bladder'), ('C67.4', '膀胱后壁'), ('C67.5', 'bladder neck'), ('C67.5', '膀胱颈'),
  ('C67.6', 'ureteric orifice'), ('C67.6', '输尿管口'), ('C67.7', 'urachus'), ('C67.7', '脐尿管'),
  ('C67.8', 'overlapping lesion of bladder'), ('C67.8', '膀胱交搭跨越病灶'), ('C67.9', 'bladder'), ('C67.9', 'bladder, nos'),
  ('C67.9', '膀胱'), ('C67.9', '膀胱，非特指'), ('C68.0', 'urethra'), ('C68.0', '尿道'),
  ('C68.1', 'paraurethral gland'), ('C68.1', '尿道旁腺'), ('C68.8', 'overlapping lesion of urinary organs'), ('C68.8', '泌尿器官交搭跨越病灶'),
  ('C68.9', 'urinary system'), ('C68.9', 'urinary system, nos'), ('C68.9', '泌尿系统'), ('C68.9', '泌尿系统，非特指'),
  ('C69.0', 'conjunctiva'), ('C69.0', '结膜'), ('C69.1', 'cornea'), ('C69.1', 'cornea, nos'),
  ('C69.1', '角膜'), ('C69.1', '角膜，非特指'), ('C69.2', 'retina'), ('C69.2', '视网膜'),
  ('C69.3', 'choroid'), ('C69.3', '脉络膜'), ('C69.4', 'ciliary body'), ('C69.4', '睫状体'),
  ('C69.5', 'lacrimal gland'), ('C69.5', '泪腺'), ('C69.6', 'orbit'), ('C69.6', 'orbit, nos'),
  ('C69.6', '眼眶'), ('C69.6', '眼眶，非特指'), ('C69.8', 'overlapping lesion of eye and adnexa'), ('C69.8', '眼和附器交搭跨越病灶'),
  ('C69.9', 'eye'), ('C69.9', 'eye, nos'), ('C69.9', '眼'), ('C69.9', '眼，非特指'),
  ('C70.0', 'cerebral meninges'), ('C70.0', '脑膜'), ('C70.1', 'spinal meninges'), ('C70.1', '脊膜'),
  ('C70.9', 'meninges'), ('C70.9', 'meninges, nos'), ('C70.9', '脑脊膜'), ('C70.9', '脑脊膜，非特指'),
  ('C71.0', 'cerebrum'), ('C71.0', '大脑'), ('C71.1', 'frontal lobe'), ('C71.1', '额叶'),
  ('C71.2', 'temporal lobe'), ('C71.2', '颞叶'), ('C71.3', 'parietal lobe'), ('C71.3', '顶叶'),
  ('C71.4', 'occipital lobe'), ('C71.4', '枕叶'), ('C71.5', 'ventricle'), ('C71.5', 'ventricle, nos'),
  ('C71.5', '脑室'), ('C71.5', '脑室，非特指'), ('C71.6', 'cerebellum'), ('C71.6', 'cerebellum, nos'),
  ('C71.6', '小脑'), ('C71.6', '小脑，非特指'), ('C71.7', 'brain stem'), ('C71.7', '脑干'),
  ('C71.8', 'overlapping lesion of brain'), ('C71.8', '脑交搭跨越病灶'), ('C71.9', 'brain'), ('C71.9', 'brain, nos'),
  ('C71.9', '脑'), ('C71.9', '脑，非特指'), ('C72.0', 'spinal cord'), ('C72.0', '脊髓'),
  ('C72.1', 'cauda equina'), ('C72.1', '马尾'), ('C72.2', 'olfactory nerve'), ('C72.2', '嗅神经'),
  ('C72.3', 'optic nerve'), ('C72.3', '视神经'), ('C72.4', 'acoustic nerve'), ('C72.4', '听神经'),
  ('C72.5', 'cranial nerve'), ('C72.5', 'cranial nerve, nos'), ('C72.5', '脑神经'), ('C72.5', '脑神经，非特指'),
  ('C72.8', 'overlapping lesion of brain and central nervous system'), ('C72.8', '脑和中枢神经系统交搭跨越病灶'), ('C72.9', 'nervous system'), ('C72.9', 'nervous system, nos'),
  ('C72.9', '神经系统'), ('C72.9', '神经系统，非特指'), ('C73.9', 'thyroid gland'), ('C73.9', '甲状腺'),
  ('C74.0', 'cortex of adrenal gland'), ('C74.0', '肾上腺皮质'), ('C74.1', 'medulla of adrenal gland'), ('C74.1', '肾上腺髓质'),
  ('C74.9', 'adrenal gland'), ('C74.9', 'adrenal gland, nos'), ('C74.9', '肾上腺'), ('C74.9', '肾上腺，非特指'),
  ('C75.0', 'parathyroid gland'), ('C75.0', '甲状旁腺'), ('C75.1', 'pituitary gland'), ('C75.1', '垂体'),
  ('C75.2', 'craniopharyngeal duct'), ('C75.2', '颅咽管'), ('C75.3', 'pineal gland'), ('C75.3', '松果体'),
  ('C75.4', 'carotid body'), ('C75.4', '颈动脉体'), ('C75.5', 'aortic body and other paraganglia'), ('C75.5', '主动脉体和其他副神经节'),
  ('C75.8', 'overlapping lesion of endocrine glands and related structures'), ('C75.8', '内分泌腺和相关结构交搭跨越病灶'), ('C75.9', 'endocrine gland'), ('C75.9', 'endocrine gland, nos'),
  ('C75.9', '内分泌腺'), ('C75.9', '内分泌腺，非特指'), ('C76.0', 'head, face or neck'), ('C76.0', 'head, face or neck, nos'),
  ('C76.0', '头、面或颈部'), ('C76.0', '头、面或颈部，非特指'), ('C76.1', 'thorax'), ('C76.1', 'thorax, nos'),
  ('C76.1', '胸部'), ('C76.1', '胸部，非特指'), ('C76.2', 'abdomen'), ('C76.2', 'abdomen, nos'),
  ('C76.2', '腹部'), ('C76.2', '腹部，非特指'), ('C76.3', 'pelvis'), ('C76.3', 'pelvis, nos'),
  ('C76.3', '盆腔'), ('C76.3', '盆腔，非特指'), ('C76.4', 'upper limb'), ('C76.4', 'upper limb, nos'),
  ('C76.4', '上肢'), ('C76.4', '上肢，非特指'), ('C76.5', 'lower limb'), ('C76.5', 'lower limb, nos'),
  ('C76.5', '下肢'), ('C76.5', '下肢，非特指'), ('C76.7', 'other ill-defined sites'), ('C76.7', '其他不明确部位'),
  ('C76.8', 'overlapping lesion of ill-defined sites'), ('C76.8', '不明确部位交搭跨越病灶'), ('C77.0', 'lymph nodes of head, face and neck'), ('C77.0', '头、面和颈部淋巴结'),
  ('C77.1', 'intrathoracic lymph nodes'), ('C77.1', '胸腔内淋巴结'), ('C77.2', 'intra-abdominal lymph nodes'), ('C77.2', '腹腔内淋巴结'),
  ('C77.3', 'lymph nodes of axilla or arm'), ('C77.3', '腋窝或上肢淋巴结'), ('C77.4', 'lymph nodes of inguinal region or leg'), ('C77.4', '腹股沟区或下肢淋巴结'),
  ('C77.5', 'pelvic lymph nodes'), ('C77.5', '盆腔淋巴结'), ('C77.8', 'lymph nodes of multiple regions'), ('C77.8', '多个区域淋巴结'),
  ('C77.9', 'lymph node'), ('C77.9', 'lymph node, nos'), ('C77.9', '淋巴结'), ('C77.9', '淋巴结，非特指'),
  ('C80.9', 'unknown primary site'), ('C80.9', '原发部位不明');

CREATE TEMP TABLE "_CaseSite" ON COMMIT DROP AS
SELECT "id", lower(CASE
    WHEN substr("typed", 1, 2) IN ('左侧', '右侧', '双侧') THEN trim(substr("typed", 3))
    WHEN substr("typed", 1, 1) IN ('左', '右', '双') THEN trim(substr("typed", 2))
    WHEN lower("typed") LIKE 'left %' THEN trim(substr("typed", 6))
    WHEN lower("typed") LIKE 'right %' THEN trim(substr("typed", 7))
    WHEN lower("typed") LIKE 'bilateral %' THEN trim(substr("typed", 11))
    ELSE "typed" END) AS "site"
FROM (SELECT "id", trim("primarySite") AS "typed" FROM "Case" WHERE "primarySite" IS NOT NULL AND "primarySiteCode" IS NULL) AS "typedSites";

UPDATE "Case" SET "primarySiteCode" = (
    SELECT min(t."code") FROM "_CaseSite" c JOIN "_Site" t ON t."title" = c."site" WHERE c."id" = "Case"."id")
WHERE "id" IN (
    SELECT c."id" FROM "_CaseSite" c JOIN "_Site" t ON t."title" = c."site" GROUP BY c."id" HAVING count(DISTINCT t."code") = 1);

-- Histology, where no ICD-O-3 morphology was chosen: the morphology list's titles, as for sites.
CREATE TEMP TABLE "_Morphology" ("code" TEXT NOT NULL, "title" TEXT NOT NULL) ON COMMIT DROP;
INSERT INTO "_Morphology" ("code", "title") VALUES
  ('8000/3', 'neoplasm, malignant'), ('8000/3', '恶性肿瘤'), ('8010/3', 'carcinoma'),
  ('8010/3', 'carcinoma, nos'), ('8010/3', '癌'), ('8010/3', '癌，非特指'),
  ('8012/3', 'large cell carcinoma'), ('8012/3', 'large cell carcinoma, nos'), ('8012/3', '大细胞癌'),
  ('8012/3', '大细胞癌，非特指'), ('8013/3', 'large cell neuroendocrine carcinoma'), ('8013/3', '大细胞神经内分泌癌'),
  ('8020/3', 'carcinoma, undifferentiated'), ('8020/3', 'carcinoma, undifferentiated, nos'), ('8020/3', '未分化癌'),
  ('8020/3', '未分化癌，非特指'), ('8033/3', 'sarcomatoid carcinoma'), ('8033/3', '肉瘤样癌'),
  ('8041/3', 'small cell carcinoma'), ('8041/3', 'small cell carcinoma, nos'), ('8041/3', '小细胞癌'),
  ('8041/3', '小细胞癌，非特指'), ('8046/3', 'non-small cell carcinoma'), ('8046/3', '非小细胞癌'),
  ('8070/3', 'squamous cell carcinoma'), ('8070/3', 'squamous cell carcinoma, nos'), ('8070/3', '鳞状细胞癌'),
  ('8070/3', '鳞状细胞癌，非特指'), ('8071/3', 'squamous cell carcinoma, keratinizing'), ('8071/3', 'squamous cell carcinoma, keratinizing, nos'),
  ('8071/3', '角化型鳞状细胞癌'), ('8071/3', '角化型鳞状细胞癌，非特指'), ('8072/3', 'squamous cell carcinoma, large cell, nonkeratinizing'),
  ('8072/3', 'squamous cell carcinoma, large cell, nonkeratinizing, nos'), ('8072/3', '大细胞非角化型鳞状细胞癌'), ('8072/3', '大细胞非角化型鳞状细胞癌，非特指'),
  ('8082/3', 'lymphoepithelial carcinoma'), ('8082/3', '淋巴上皮癌'), ('8083/3', 'basaloid squamous cell carcinoma'),
  ('8083/3', '基底样鳞状细胞癌'), ('8090/3', 'basal cell carcinoma'), ('8090/3', 'basal cell carcinoma, nos'),
  ('8090/3', '基底细胞癌'), ('8090/3', '基底细胞癌，非特指'), ('8120/3', 'urothelial carcinoma'),
  ('8120/3', 'urothelial carcinoma, nos'), ('8120/3', 'urothelial carcinoma, nos (transitional cell carcinoma)'), ('8120/3', '尿路上皮癌'),
  ('8120/3', '尿路上皮癌，非特指'), ('8140/3', 'adenocarcinoma'), ('8140/3', 'adenocarcinoma, nos'),
  ('8140/3', '腺癌'), ('8140/3', '腺癌，非特指'), ('8144/3', 'adenocarcinoma, intestinal type'),
  ('8144/3', '肠型腺癌'), ('8160/3', 'cholangiocarcinoma'), ('8160/3', '胆管癌'),
  ('8170/3', 'hepatocellular carcinoma'), ('8170/3', 'hepatocellular carcinoma, nos'), ('8170/3', '肝细胞癌'),
  ('8170/3', '肝细胞癌，非特指'), ('8180/3', 'combined hepatocellular carcinoma and cholangiocarcinoma'), ('8180/3', '混合型肝细胞癌-胆管癌'),
  ('8200/3', 'adenoid cystic carcinoma'), ('8200/3', '腺样囊性癌'), ('8240/3', 'carcinoid tumor'),
  ('8240/3', 'carcinoid tumor, nos'), ('8240/3', 'carcinoid tumor, nos (neuroendocrine tumor, grade 1)'), ('8240/3', '类癌，非特指（神经内分泌肿瘤，1级）'),
  ('8246/3', 'neuroendocrine carcinoma'), ('8246/3', 'neuroendocrine carcinoma, nos'), ('8246/3', '神经内分泌癌'),
  ('8246/3', '神经内分泌癌，非特指'), ('8249/3', 'atypical carcinoid tumor'), ('8249/3', 'atypical carcinoid tumor (neuroendocrine tumor, grade 2)'),
  ('8249/3', '不典型类癌（神经内分泌肿瘤，2级）'), ('8250/3', 'lepidic adenocarcinoma'), ('8250/3', '贴壁型腺癌'),
  ('8253/3', 'invasive mucinous adenocarcinoma'), ('8253/3', '浸润性黏液腺癌'), ('8260/3', 'papillary adenocarcinoma'),
  ('8260/3', 'papillary adenocarcinoma, nos'), ('8260/3', '乳头状腺癌'), ('8260/3', '乳头状腺癌，非特指'),
  ('8265/3', 'micropapillary carcinoma'), ('8265/3', 'micropapillary carcinoma, nos'), ('8265/3', '微乳头状癌'),
  ('8265/3', '微乳头状癌，非特指'), ('8310/3', 'clear cell adenocarcinoma'), ('8310/3', 'clear cell adenocarcinoma, nos'),
  ('8310/3', '透明细胞腺癌'), ('8310/3', '透明细胞腺癌，非特指'), ('8312/3', 'renal cell carcinoma'),
  ('8312/3', 'renal cell carcinoma, nos'), ('8312/3', '肾细胞癌'), ('8312/3', '肾细胞癌，非特指'),
  ('8330/3', 'follicular adenocarcinoma'), ('8330/3', 'follicular adenocarcinoma, nos'), ('8330/3', '滤泡癌'),
  ('8330/3', '滤泡癌，非特指'), ('8380/3', 'endometrioid adenocarcinoma'), ('8380/3', 'endometrioid adenocarcinoma, nos'),
  ('8380/3', '子宫内膜样腺癌'), ('8380/3', '子宫内膜样腺癌，非特指'), ('8441/3', 'serous carcinoma'),
  ('8441/3', 'serous carcinoma, nos'), ('8441/3', '浆液性癌'), ('8441/3', '浆液性癌，非特指'),
  ('8461/3', 'high-grade serous carcinoma'), ('8461/3', '高级别浆液性癌'), ('8480/3', 'mucinous adenocarcinoma'),
  ('8480/3', '黏液腺癌'), ('8490/3', 'signet ring cell carcinoma'), ('8490/3', '印戒细胞癌'),
  ('8500/2', 'intraductal carcinoma, noninfiltrating'), ('8500/2', 'intraductal carcinoma, noninfiltrating, nos'), ('8500/2', 'intraductal carcinoma, noninfiltrating, nos (ductal carcinoma in situ)'),
  ('8500/2', '导管原位癌'), ('8500/2', '导管原位癌，非特指'), ('8500/3', 'infiltrating duct carcinoma'),
  ('8500/3', 'infiltrating duct carcinoma, nos'), ('8500/3', '浸润性导管癌'), ('8500/3', '浸润性导管癌，非特指'),
  ('8520/3', 'lobular carcinoma'), ('8520/3', 'lobular carcinoma, nos'), ('8520/3', '浸润性小叶癌'),
  ('8520/3', '浸润性小叶癌，非特指'), ('8550/3', 'acinar cell carcinoma'), ('8550/3', '腺泡细胞癌'),
  ('8551/3', 'acinar adenocarcinoma'), ('8551/3', '腺泡型腺癌'), ('8560/3', 'adenosquamous carcinoma'),
  ('8560/3', '腺鳞癌'), ('8720/3', 'malignant melanoma'), ('8720/3', 'malignant melanoma, nos'),
  ('8720/3', '恶性黑色素瘤'), ('8720/3', '恶性黑色素瘤，非特指'), ('8744/3', 'acral lentiginous melanoma, malignant'),
  ('8744/3', '肢端雀斑样黑色素瘤'), ('8800/3', 'sarcoma'), ('8800/3', 'sarcoma, nos'),
  ('8800/3', '肉瘤'), ('8800/3', '肉瘤，非特指'), ('8850/3', 'liposarcoma'),
  ('8850/3', 'liposarcoma, nos'), ('8850/3', '脂肪肉瘤'), ('8850/3', '脂肪肉瘤，非特指'),
  ('8890/3', 'leiomyosarcoma'), ('8890/3', 'leiomyosarcoma, nos'), ('8890/3', '平滑肌肉瘤'),
  ('8890/3', '平滑肌肉瘤，非特指'), ('8936/3', 'gastrointestinal stromal tumor, malignant'), ('8936/3', '胃肠道间质瘤，恶性'),
  ('9050/3', 'mesothelioma, malignant'), ('9050/3', '恶性间皮瘤'), ('9061/3', 'seminoma'),
  ('9061/3', 'seminoma, nos'), ('9061/3', '精原细胞瘤'), ('9061/3', '精原细胞瘤，非特指'),
  ('9180/3', 'osteosarcoma'), ('9180/3', 'osteosarcoma, nos'), ('9180/3', '骨肉瘤'),
  ('9180/3', '骨肉瘤，非特指'), ('9260/3', 'ewing sarcoma'), ('9260/3', '尤因肉瘤'),
  ('9400/3', 'astrocytoma'), ('9400/3', 'astrocytoma, nos'), ('9400/3', '星形细胞瘤'),
  ('9400/3', '星形细胞瘤，非特指'), ('9440/3', 'glioblastoma'), ('9440/3', 'glioblastoma, nos'),
  ('9440/3', '胶质母细胞瘤'), ('9440/3', '胶质母细胞瘤，非特指'), ('9450/3', 'oligodendroglioma'),
  ('9450/3', 'oligodendroglioma, nos'), ('9450/3', '少突胶质细胞瘤'), ('9450/3', '少突胶质细胞瘤，非特指'),
  ('9500/3', 'neuroblastoma'), ('9500/3', 'neuroblastoma, nos'), ('9500/3', '神经母细胞瘤'),
  ('9500/3', '神经母细胞瘤，非特指'), ('9590/3', 'malignant lymphoma'), ('9590/3', 'malignant lymphoma, nos'),
  ('9590/3', '恶性淋巴瘤'), ('9590/3', '恶性淋巴瘤，非特指'), ('9591/3', 'malignant lymphoma, non-hodgkin'),
  ('9591/3', 'malignant lymphoma, non-hodgkin, nos'), ('9591/3', '非霍奇金淋巴瘤'), ('9591/3', '非霍奇金淋巴瘤，非特指'),
  ('9650/3', 'hodgkin lymphoma'), ('9650/3', 'hodgkin lymphoma, nos'), ('9650/3', '霍奇金淋巴瘤'),
  ('9650/3', '霍奇金淋巴瘤，非特指'), ('9673/3', 'mantle cell lymphoma'), ('9673/3', '套细胞淋巴瘤'),
  ('9680/3', 'malignant lymphoma, large b-cell, diffuse'), ('9680/3', 'malignant lymphoma, large b-cell, diffuse, nos'), ('9680/3', '弥漫大B细胞淋巴瘤'),
  ('9680/3', '弥漫大B细胞淋巴瘤，非特指型'), ('9687/3', 'burkitt lymphoma'), ('9687/3', 'burkitt lymphoma, nos'),
  ('9687/3', '伯基特淋巴瘤'), ('9687/3', '伯基特淋巴瘤，非特指'), ('9690/3', 'follicular lymphoma'),
  ('9690/3', 'follicular lymphoma, nos'), ('9690/3', '滤泡性淋巴瘤'), ('9690/3', '滤泡性淋巴瘤，非特指'),
  ('9699/3', 'marginal zone b-cell lymphoma'), ('9699/3', 'marginal zone b-cell lymphoma, nos'), ('9699/3', '边缘区B细胞淋巴瘤'),
  ('9699/3', '边缘区B细胞淋巴瘤，非特指'), ('9702/3', 'mature t-cell lymphoma'), ('9702/3', 'mature t-cell lymphoma, nos'),
  ('9702/3', 'mature t-cell lymphoma, nos (peripheral t-cell lymphoma, nos)'), ('9702/3', '外周T细胞淋巴瘤'), ('9702/3', '外周T细胞淋巴瘤，非特指型'),
  ('9719/3', 'nk/t-cell lymphoma, nasal and nasal-type'), ('9719/3', '结外NK/T细胞淋巴瘤，鼻型'), ('9732/3', 'multiple myeloma'),
  ('9732/3', '多发性骨髓瘤'), ('9811/3', 'B淋巴母细胞白血病/淋巴瘤'), ('9811/3', 'B淋巴母细胞白血病/淋巴瘤，非特指型'),
  ('9811/3', 'b lymphoblastic leukemia/lymphoma'), ('9811/3', 'b lymphoblastic leukemia/lymphoma, nos'), ('9823/3', 'b-cell chronic lymphocytic leukemia/small lymphocytic lymphoma'),
  ('9823/3', '慢性淋巴细胞白血病/小淋巴细胞淋巴瘤'), ('9861/3', 'acute myeloid leukemia'), ('9861/3', 'acute myeloid leukemia, nos'),
  ('9861/3', '急性髓系白血病'), ('9861/3', '急性髓系白血病，非特指'), ('9863/3', 'chronic myeloid leukemia'),
  ('9863/3', 'chronic myeloid leukemia, nos'), ('9863/3', '慢性髓系白血病'), ('9863/3', '慢性髓系白血病，非特指'),
  ('9866/3', 'acute promyelocytic leukemia, t(15;17)(q22;q11-12)'), ('9866/3', '急性早幼粒细胞白血病伴t(15;17)(q22;q11-12)'), ('9875/3', 'chronic myelogenous leukemia, bcr-abl1 positive'),
  ('9875/3', '慢性髓系白血病，BCR-ABL1阳性'), ('9895/3', 'acute myeloid leukemia with myelodysplasia-related changes'), ('9895/3', '急性髓系白血病伴骨髓增生异常相关改变'),
  ('9896/3', 'acute myeloid leukemia, t(8;21)(q22;q22)'), ('9896/3', '急性髓系白血病伴t(8;21)(q22;q22)'), ('9897/3', 'acute myeloid leukemia, 11q23 abnormalities'),
  ('9897/3', '急性髓系白血病伴11q23异常'), ('9989/3', 'myelodysplastic syndrome'), ('9989/3', 'myelodysplastic syndrome, nos'),
  ('9989/3', '骨髓增生异常综合征'), ('9989/3', '骨髓增生异常综合征，非特指');

UPDATE "Case" SET "icdO3Code" = (
    SELECT min(t."code") FROM "_Morphology" t WHERE t."title" = lower(trim("Case"."histology")))
WHERE "icdO3Code" IS NULL AND "histology" IS NOT NULL AND (
    SELECT count(DISTINCT t."code") FROM "_Morphology" t WHERE t."title" = lower(trim("Case"."histology"))) = 1;

-- Regimens: split at +, 、, commas, semicolons, 联合 and "and"; a line is coded when every part names one drug of the list,
-- alone or followed by a dose (奥希替尼 80 mg qd).
CREATE TEMP TABLE "_Drug" ("code" TEXT NOT NULL, "title" TEXT NOT NULL) ON COMMIT DROP;
INSERT INTO "_Drug" ("code", "title") VALUES
  ('S-1', 's-1'), ('S-1', '替吉奥'), ('abemaciclib', 'abemaciclib'),
  ('abemaciclib', '阿贝西利'), ('abiraterone', 'abiraterone'), ('abiraterone', '阿比特龙'),
  ('acalabrutinib', 'acalabrutinib'), ('acalabrutinib', '阿可替尼'), ('adebrelimab', 'adebrelimab'),
  ('adebrelimab', '阿得贝利单抗'), ('afatinib', 'afatinib'), ('afatinib', '阿法替尼'),
  ('alectinib', 'alectinib'), ('alectinib', '阿来替尼'), ('all-trans retinoic acid', 'all-trans retinoic acid'),
  ('all-trans retinoic acid', '全反式维甲酸'), ('anastrozole', 'anastrozole'), ('anastrozole', '阿那曲唑'),
  ('anlotinib', 'anlotinib'), ('anlotinib', '安罗替尼'), ('apalutamide', 'apalutamide'),
  ('apalutamide', '阿帕他胺'), ('apatinib', 'apatinib'), ('apatinib', '阿帕替尼'),
  ('arsenic trioxide', 'arsenic trioxide'), ('arsenic trioxide', '三氧化二砷'), ('atezolizumab', 'atezolizumab'),
  ('atezolizumab', '阿替利珠单抗'), ('aumolertinib', 'aumolertinib'), ('aumolertinib', '阿美替尼'),
  ('avapritinib', 'avapritinib'), ('avapritinib', '阿伐替尼'), ('axicabtagene ciloleucel', 'axicabtagene ciloleucel'),
  ('axicabtagene ciloleucel', '阿基仑赛'), ('axitinib', 'axitinib'), ('axitinib', '阿昔替尼'),
  ('azacitidine', 'azacitidine'), ('azacitidine', '阿扎胞苷'), ('befotertinib', 'befotertinib'),
  ('befotertinib', '贝福替尼'), ('bendamustine', 'bendamustine'), ('bendamustine', '苯达莫司汀'),
  ('bevacizumab', 'bevacizumab'), ('bevacizumab', '贝伐珠单抗'), ('bicalutamide', 'bicalutamide'),
  ('bicalutamide', '比卡鲁胺'), ('bleomycin', 'bleomycin'), ('bleomycin', '博来霉素'),
  ('blinatumomab', 'blinatumomab'), ('blinatumomab', '贝林妥欧单抗'), ('bortezomib', 'bortezomib'),
  ('bortezomib', '硼替佐米'), ('brentuximab vedotin', 'brentuximab vedotin'), ('brentuximab vedotin', '维布妥昔单抗'),
  ('brigatinib', 'brigatinib'), ('brigatinib', '布格替尼'), ('cadonilimab', 'cadonilimab'),
  ('cadonilimab', '卡度尼利单抗'), ('camrelizumab', 'camrelizumab'), ('camrelizumab', '卡瑞利珠单抗'),
  ('capecitabine', 'capecitabine'), ('capecitabine', '卡培他滨'), ('capmatinib', 'capmatinib'),
  ('capmatinib', '卡马替尼'), ('carboplatin', 'carboplatin'), ('carboplatin', '卡铂'),
  ('carfilzomib', 'carfilzomib'), ('carfilzomib', '卡非佐米'), ('ceritinib', 'ceritinib'),
  ('ceritinib', '塞瑞替尼'), ('cetuximab', 'cetuximab'), ('cetuximab', '西妥昔单抗'),
  ('chidamide', 'chidamide'), ('chidamide', '西达本胺'), ('chlorambucil', 'chlorambucil'),
  ('chlorambucil', '苯丁酸氮芥'), ('cisplatin', 'cisplatin'), ('cisplatin', '顺铂'),
  ('crizotinib', 'crizotinib'), ('crizotinib', '克唑替尼'), ('cyclophosphamide', 'cyclophosphamide'),
  ('cyclophosphamide', '环磷酰胺'), ('cytarabine', 'cytarabine'), ('cytarabine', '阿糖胞苷'),
  ('dabrafenib', 'dabrafenib'), ('dabrafenib', '达拉非尼'), ('dacarbazine', 'dacarbazine'),
  ('dacarbazine', '达卡巴嗪'), ('dacomitinib', 'dacomitinib'), ('dacomitinib', '达可替尼'),
  ('dalpiciclib', 'dalpiciclib'), ('dalpiciclib', '达尔西利'), ('daratumumab', 'daratumumab'),
  ('daratumumab', '达雷妥尤单抗'), ('darolutamide', 'darolutamide'), ('darolutamide', '达罗他胺'),
  ('dasatinib', 'dasatinib'), ('dasatinib', '达沙替尼'), ('daunorubicin', 'daunorubicin'),
  ('daunorubicin', '柔红霉素'), ('decitabine', 'decitabine'), ('decitabine', '地西他滨'),
  ('denosumab', 'denosumab'), ('denosumab', '地舒单抗'), ('disitamab vedotin', 'disitamab vedotin'),
  ('disitamab vedotin', '维迪西妥单抗'), ('docetaxel', 'docetaxel'), ('docetaxel', '多西他赛'),
  ('donafenib', 'donafenib'), ('donafenib', '多纳非尼'), ('doxorubicin', 'doxorubicin'),
  ('doxorubicin', '多柔比星'), ('durvalumab', 'durvalumab'), ('durvalumab', '度伐利尤单抗'),
  ('ensartinib', 'ensartinib'), ('ensartinib', '恩沙替尼'), ('entrectinib', 'entrectinib'),
  ('entrectinib', '恩曲替尼'), ('envafolimab', 'envafolimab'), ('envafolimab', '恩沃利单抗'),
  ('enzalutamide', 'enzalutamide'), ('enzalutamide', '恩扎卢胺'), ('epirubicin', 'epirubicin'),
  ('epirubicin', '表柔比星'), ('eribulin', 'eribulin'), ('eribulin', '艾立布林'),
  ('erlotinib', 'erlotinib'), ('erlotinib', '厄洛替尼'), ('etoposide', 'etoposide'),
  ('etoposide', '依托泊苷'), ('everolimus', 'everolimus'), ('everolimus', '依维莫司'),
  ('exemestane', 'exemestane'), ('exemestane', '依西美坦'), ('fludarabine', 'fludarabine'),
  ('fludarabine', '氟达拉滨'), ('flumatinib', 'flumatinib'), ('flumatinib', '氟马替尼'),
  ('fluorouracil', 'fluorouracil'), ('fluorouracil', '氟尿嘧啶'), ('fluzoparib', 'fluzoparib'),
  ('fluzoparib', '氟唑帕利'), ('fruquintinib', 'fruquintinib'), ('fruquintinib', '呋喹替尼'),
  ('fulvestrant', 'fulvestrant'), ('fulvestrant', '氟维司群'), ('furmonertinib', 'furmonertinib'),
  ('furmonertinib', '伏美替尼'), ('gefitinib', 'gefitinib'), ('gefitinib', '吉非替尼'),
  ('gemcitabine', 'gemcitabine'), ('gemcitabine', '吉西他滨'), ('gilteritinib', 'gilteritinib'),
  ('gilteritinib', '吉瑞替尼'), ('glumetinib', 'glumetinib'), ('glumetinib', '谷美替尼'),
  ('goserelin', 'goserelin'), ('goserelin', '戈舍瑞林'), ('hydroxyurea', 'hydroxyurea'),
  ('hydroxyurea', '羟基脲'), ('ibrutinib', 'ibrutinib'), ('ibrutinib', '伊布替尼'),
  ('icotinib', 'icotinib'), ('icotinib', '埃克替尼'), ('idarubicin', 'idarubicin'),
  ('idarubicin', '伊达比星'), ('ifosfamide', 'ifosfamide'), ('ifosfamide', '异环磷酰胺'),
  ('imatinib', 'imatinib'), ('imatinib', '伊马替尼'), ('inetetamab', 'inetetamab'),
  ('inetetamab', '伊尼妥单抗'), ('ipilimumab', 'ipilimumab'), ('ipilimumab', '伊匹木单抗'),
  ('irinotecan', 'irinotecan'), ('irinotecan', '伊立替康'), ('irinotecan liposome', 'irinotecan liposome'),
  ('irinotecan liposome', '伊立替康脂质体'), ('ivonescimab', 'ivonescimab'), ('ivonescimab', '依沃西单抗'),
  ('ivosidenib', 'ivosidenib'), ('ivosidenib', '艾伏尼布'), ('ixazomib', 'ixazomib'),
  ('ixazomib', '伊沙佐米'), ('lapatinib', 'lapatinib'), ('lapatinib', '拉帕替尼'),
  ('larotrectinib', 'larotrectinib'), ('larotrectinib', '拉罗替尼'), ('lenalidomide', 'lenalidomide'),
  ('lenalidomide', '来那度胺'), ('lenvatinib', 'lenvatinib'), ('lenvatinib', '仑伐替尼'),
  ('letrozole', 'letrozole'), ('letrozole', '来曲唑'), ('leucovorin', 'leucovorin'),
  ('leucovorin', '亚叶酸钙'), ('leuprorelin', 'leuprorelin'), ('leuprorelin', '亮丙瑞林'),
  ('lobaplatin', 'lobaplatin'), ('lobaplatin', '洛铂'), ('lorlatinib', 'lorlatinib'),
  ('lorlatinib', '洛拉替尼'), ('methotrexate', 'methotrexate'), ('methotrexate', '甲氨蝶呤'),
  ('midostaurin', 'midostaurin'), ('midostaurin', '米哚妥林'), ('mitomycin', 'mitomycin'),
  ('mitomycin', '丝裂霉素'), ('mitoxantrone', 'mitoxantrone'), ('mitoxantrone', '米托蒽醌'),
  ('nab-paclitaxel', 'nab-paclitaxel'), ('nab-paclitaxel', '白蛋白结合型紫杉醇'), ('nedaplatin', 'nedaplatin'),
  ('nedaplatin', '奈达铂'), ('neratinib', 'neratinib'), ('neratinib', '奈拉替尼'),
  ('nilotinib', 'nilotinib'), ('nilotinib', '尼洛替尼'), ('nimotuzumab', 'nimotuzumab'),
  ('nimotuzumab', '尼妥珠单抗'), ('niraparib', 'niraparib'), ('niraparib', '尼拉帕利'),
  ('nivolumab', 'nivolumab'), ('nivolumab', '纳武利尤单抗'), ('obinutuzumab', 'obinutuzumab'),
  ('obinutuzumab', '奥妥珠单抗'), ('olaparib', 'olaparib'), ('olaparib', '奥拉帕利'),
  ('olverembatinib', 'olverembatinib'), ('olverembatinib', '奥雷巴替尼'), ('orelabrutinib', 'orelabrutinib'),
  ('orelabrutinib', '奥布替尼'), ('osimertinib', 'osimertinib'), ('osimertinib', '奥希替尼'),
  ('oxaliplatin', 'oxaliplatin'), ('oxaliplatin', '奥沙利铂'), ('paclitaxel', 'paclitaxel'),
  ('paclitaxel', '紫杉醇'), ('paclitaxel liposome', 'paclitaxel liposome'), ('paclitaxel liposome', '紫杉醇脂质体'),
  ('palbociclib', 'palbociclib'), ('palbociclib', '哌柏西利'), ('pamiparib', 'pamiparib'),
  ('pamiparib', '帕米帕利'), ('panitumumab', 'panitumumab'), ('panitumumab', '帕尼单抗'),
  ('pazopanib', 'pazopanib'), ('pazopanib', '培唑帕尼'), ('pegaspargase', 'pegaspargase'),
  ('pegaspargase', '培门冬酶'), ('pegylated liposomal doxorubicin', 'pegylated liposomal doxorubicin'), ('pegylated liposomal doxorubicin', '多柔比星脂质体'),
  ('pembrolizumab', 'pembrolizumab'), ('pembrolizumab', '帕博利珠单抗'), ('pemetrexed', 'pemetrexed'),
  ('pemetrexed', '培美曲塞'), ('penpulimab', 'penpulimab'), ('penpulimab', '派安普利单抗'),
  ('pertuzumab', 'pertuzumab'), ('pertuzumab', '帕妥珠单抗'), ('polatuzumab vedotin', 'polatuzumab vedotin'),
  ('polatuzumab vedotin', '维泊妥珠单抗'), ('pomalidomide', 'pomalidomide'), ('pomalidomide', '泊马度胺'),
  ('ponatinib', 'ponatinib'), ('ponatinib', '泊那替尼'), ('pralsetinib', 'pralsetinib'),
  ('pralsetinib', '普拉替尼'), ('pyrotinib', 'pyrotinib'), ('pyrotinib', '吡咯替尼'),
  ('raltitrexed', 'raltitrexed'), ('raltitrexed', '雷替曲塞'), ('ramucirumab', 'ramucirumab'),
  ('ramucirumab', '雷莫西尤单抗'), ('regorafenib', 'regorafenib'), ('regorafenib', '瑞戈非尼'),
  ('relmacabtagene autoleucel', 'relmacabtagene autoleucel'), ('relmacabtagene autoleucel', '瑞基奥仑赛'), ('rezvilutamide', 'rezvilutamide'),
  ('rezvilutamide', '瑞维鲁胺'), ('ribociclib', 'ribociclib'), ('ribociclib', '瑞波西利'),
  ('ripretinib', 'ripretinib'), ('ripretinib', '瑞派替尼'), ('rituximab', 'rituximab'),
  ('rituximab', '利妥昔单抗'), ('ruxolitinib', 'ruxolitinib'), ('ruxolitinib', '芦可替尼'),
  ('sacituzumab govitecan', 'sacituzumab govitecan'), ('sacituzumab govitecan', '戈沙妥珠单抗'), ('savolitinib', 'savolitinib'),
  ('savolitinib', '赛沃替尼'), ('selinexor', 'selinexor'), ('selinexor', '塞利尼索'),
  ('selpercatinib', 'selpercatinib'), ('selpercatinib', '塞普替尼'), ('serplulimab', 'serplulimab'),
  ('serplulimab', '斯鲁利单抗'), ('sintilimab', 'sintilimab'), ('sintilimab', '信迪利单抗'),
  ('sorafenib', 'sorafenib'), ('sorafenib', '索拉非尼'), ('sotorasib', 'sotorasib'),
  ('sotorasib', '索托拉西布'), ('sugemalimab', 'sugemalimab'), ('sugemalimab', '舒格利单抗'),
  ('sunitinib', 'sunitinib'), ('sunitinib', '舒尼替尼'), ('sunvozertinib', 'sunvozertinib'),
  ('sunvozertinib', '舒沃替尼'), ('surufatinib', 'surufatinib'), ('surufatinib', '索凡替尼'),
  ('tamoxifen', 'tamoxifen'), ('tamoxifen', '他莫昔芬'), ('temozolomide', 'temozolomide'),
  ('temozolomide', '替莫唑胺'), ('tepotinib', 'tepotinib'), ('tepotinib', '特泊替尼'),
  ('thalidomide', 'thalidomide'), ('thalidomide', '沙利度胺'), ('tislelizumab', 'tislelizumab'),
  ('tislelizumab', '替雷利珠单抗'), ('topotecan', 'topotecan'), ('topotecan', '拓扑替康'),
  ('toripalimab', 'toripalimab'), ('toripalimab', '特瑞普利单抗'), ('trametinib', 'trametinib'),
  ('trametinib', '曲美替尼'), ('trastuzumab', 'trastuzumab'), ('trastuzumab', '曲妥珠单抗'),
  ('trastuzumab deruxtecan', 'trastuzumab deruxtecan'), ('trastuzumab deruxtecan', '德曲妥珠单抗'), ('trastuzumab emtansine', 'trastuzumab emtansine'),
  ('trastuzumab emtansine', '恩美曲妥珠单抗'), ('trifluridine/tipiracil', 'trifluridine/tipiracil'), ('trifluridine/tipiracil', '曲氟尿苷替匹嘧啶'),
  ('trilaciclib', 'trilaciclib'), ('trilaciclib', '曲拉西利'), ('utidelone', 'utidelone'),
  ('utidelone', '优替德隆'), ('vemurafenib', 'vemurafenib'), ('vemurafenib', '维莫非尼'),
  ('venetoclax', 'venetoclax'), ('venetoclax', '维奈克拉'), ('vincristine', 'vincristine'),
  ('vincristine', '长春新碱'), ('vinorelbine', 'vinorelbine'), ('vinorelbine', '长春瑞滨'),
  ('zanubrutinib', 'zanubrutinib'), ('zanubrutinib', '泽布替尼'), ('zimberelimab', 'zimberelimab'),
  ('zimberelimab', '赛帕利单抗'), ('zoledronic acid', 'zoledronic acid'), ('zoledronic acid', '唑来膦酸');

CREATE TEMP TABLE "_LinePart" ON COMMIT DROP AS
WITH RECURSIVE "split" ("id", "n", "part", "rest") AS (
    SELECT "id", 0, CAST(NULL AS TEXT), replace(replace(replace(replace(replace(replace(replace(replace(lower("regimen"),
        '＋', '+'), '、', '+'), '，', '+'), ',', '+'), '；', '+'), ';', '+'), '联合', '+'), ' and ', '+') || '+'
    FROM "TreatmentLine" WHERE trim("regimen") <> ''
  UNION ALL
    SELECT "id", "n" + 1, trim(substr("rest", 1, strpos("rest", '+') - 1)), substr("rest", strpos("rest", '+') + 1)
    FROM "split" WHERE "rest" <> ''
)
SELECT "id", "n", "part" FROM "split" WHERE "part" IS NOT NULL AND "part" <> '';

UPDATE "TreatmentLine" SET "drugs" = (
    SELECT json_agg(d."code" ORDER BY d."n")::text FROM (SELECT p."n", t."code" FROM "_LinePart" p JOIN "_Drug" t ON (t."title" = p."part" OR (p."part" LIKE t."title" || ' %' AND substr(p."part", length(t."title") + 2, 1) BETWEEN '0' AND '9')) WHERE p."id" = "TreatmentLine"."id") d)
WHERE "id" IN (
    SELECT "id" FROM "_LinePart" p GROUP BY "id"
    HAVING count(*) = (SELECT count(*) FROM "_LinePart" q JOIN "_Drug" t ON (t."title" = q."part" OR (q."part" LIKE t."title" || ' %' AND substr(q."part", length(t."title") + 2, 1) BETWEEN '0' AND '9')) WHERE q."id" = p."id")
       AND count(*) = (SELECT count(DISTINCT q."n") FROM "_LinePart" q JOIN "_Drug" t ON (t."title" = q."part" OR (q."part" LIKE t."title" || ' %' AND substr(q."part", length(t."title") + 2, 1) BETWEEN '0' AND '9')) WHERE q."id" = p."id"));

-- Reasons for stopping that name one reason, alone or before a parenthesis.
CREATE TEMP TABLE "_StopReason" ("code" TEXT NOT NULL, "title" TEXT NOT NULL) ON COMMIT DROP;
INSERT INTO "_StopReason" ("code", "title") VALUES
  ('COMPLETED', 'completed'), ('COMPLETED', 'course completed'), ('COMPLETED', '完成'),
  ('COMPLETED', '按计划完成'), ('COMPLETED', '治疗完成'), ('PATIENT_CHOICE', 'patient choice'),
  ('PATIENT_CHOICE', 'patient preference'), ('PATIENT_CHOICE', 'patient''s choice'), ('PATIENT_CHOICE', '患者意愿'),
  ('PATIENT_CHOICE', '患者拒绝'), ('PROGRESSION', 'disease progression'), ('PROGRESSION', 'pd'),
  ('PROGRESSION', 'progression'), ('PROGRESSION', 'progressive disease'), ('PROGRESSION', '疾病进展'),
  ('PROGRESSION', '进展'), ('TOXICITY', 'adverse events'), ('TOXICITY', 'toxicity'),
  ('TOXICITY', '不良反应'), ('TOXICITY', '毒副反应'), ('TOXICITY', '毒性');

UPDATE "TreatmentLine" SET "stopReason" = (
    SELECT min(t."code") FROM "_StopReason" t
    WHERE lower(trim("TreatmentLine"."reasonStopped")) = t."title"
       OR lower(trim("TreatmentLine"."reasonStopped")) LIKE t."title" || '（%'
       OR lower(trim("TreatmentLine"."reasonStopped")) LIKE t."title" || ' (%')
WHERE "reasonStopped" IS NOT NULL;

-- Biomarkers: an alteration or a result that names one code exactly is coded; anything else goes into the note.
CREATE TEMP TABLE "_Alteration" ("code" TEXT NOT NULL, "title" TEXT NOT NULL) ON COMMIT DROP;
INSERT INTO "_Alteration" ("code", "title") VALUES
  ('AMPLIFICATION', 'amplification'), ('AMPLIFICATION', '扩增'), ('COPY_LOSS', 'copy number loss'),
  ('COPY_LOSS', 'copy-number loss'), ('COPY_LOSS', '拷贝数缺失'), ('EXON14_SKIPPING', '14号外显子跳跃'),
  ('EXON14_SKIPPING', '14号外显子跳跃突变'), ('EXON14_SKIPPING', '14外显子跳跃'), ('EXON14_SKIPPING', 'exon 14 skipping'),
  ('EXON14_SKIPPING', 'exon14 skipping'), ('EXON14_SKIPPING', '外显子14跳跃'), ('EXON19_DELETION', '19del'),
  ('EXON19_DELETION', '19号外显子缺失'), ('EXON19_DELETION', '19外显子缺失'), ('EXON19_DELETION', 'exon 19 del'),
  ('EXON19_DELETION', 'exon 19 deletion'), ('EXON19_DELETION', 'exon19 deletion'), ('EXON19_DELETION', '外显子19缺失'),
  ('EXON20_INSERTION', '20ins'), ('EXON20_INSERTION', '20号外显子插入'), ('EXON20_INSERTION', '20外显子插入'),
  ('EXON20_INSERTION', 'exon 20 ins'), ('EXON20_INSERTION', 'exon 20 insertion'), ('EXON20_INSERTION', 'exon20 insertion'),
  ('EXON20_INSERTION', '外显子20插入'), ('EXPRESSION', 'expression'), ('EXPRESSION', 'protein expression'),
  ('EXPRESSION', '蛋白表达'), ('EXPRESSION', '表达'), ('FUSION', 'fusion'),
  ('FUSION', 'rearrangement'), ('FUSION', '融合'), ('FUSION', '重排');

CREATE TEMP TABLE "_Result" ("code" TEXT NOT NULL, "title" TEXT NOT NULL) ON COMMIT DROP;
INSERT INTO "_Result" ("code", "title") VALUES
  ('EQUIVOCAL', 'equivocal'), ('EQUIVOCAL', '不确定'), ('EQUIVOCAL', '可疑'),
  ('NEGATIVE', '-'), ('NEGATIVE', 'negative'), ('NEGATIVE', 'not detected'),
  ('NEGATIVE', 'wild type'), ('NEGATIVE', '未检出'), ('NEGATIVE', '野生型'),
  ('NEGATIVE', '阴性'), ('POSITIVE', '+'), ('POSITIVE', 'detected'),
  ('POSITIVE', 'positive'), ('POSITIVE', '检出'), ('POSITIVE', '阳性');

UPDATE "Biomarker" SET "alterationType" = (SELECT t."code" FROM "_Alteration" t WHERE t."title" = lower(trim("Biomarker"."alteration")))
WHERE "alteration" IS NOT NULL;
UPDATE "Biomarker" SET "resultCode" = (SELECT t."code" FROM "_Result" t WHERE t."title" = lower(trim("Biomarker"."result")))
WHERE "result" IS NOT NULL;
UPDATE "Biomarker" SET "note" = NULLIF(concat_ws('; ',
    CASE WHEN "alterationType" IS NULL AND trim("alteration") <> '' THEN trim("alteration") END,
    CASE WHEN "resultCode" IS NULL AND trim("result") <> '' THEN trim("result") END), '');

ALTER TABLE "Biomarker" DROP COLUMN "alteration";
ALTER TABLE "Biomarker" DROP COLUMN "result";

-- Search documents are rebuilt at the next start (startup.server.ts builds them when there are none), now holding the
-- codes' titles in both languages, so a case entered in Chinese is found by the English name of its site or drugs.
DELETE FROM "SearchDocument";

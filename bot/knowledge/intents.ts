import { cleanText } from './tokenize.js';

/**
 * Recognisers for what a message is, besides a how-to question. Each works on the cleaned,
 * lower-cased text and uses whole-word patterns, so "status" is not "stat" and "barcode" is not "code".
 */

function prepare(raw: string): string {
  return cleanText(raw).toLowerCase().replace(/[\u2018\u2019`]/g, "'").replace(/\s+/g, ' ').trim();
}

/** Builds a whole-word alternation from a list of words or short phrases. */
function words(list: string): string {
  return `(?:${list.trim().split(/\s*\|\s*/).join('|')})`;
}

// ---------------------------------------------------------------- escalate

const PERSON = String.raw`(?:a |an |the |some |any |)(?:human|person|people|someone|somebody|some ?one|real (?:person|human|people|tech)|live (?:agent|person|human|chat)|actual (?:person|human|it person|tech)|agent|representative|rep|tech|technician|analyst|it (?:person|guy|support|tech)|help ?desk(?: agent| person| staff| tech)?|service ?desk|support(?: person| staff| team| agent)?|operator)`;

const ESCALATE_PATTERNS = [
  new RegExp(String.raw`\b(?:talk|speak|chat|connect|transfer|escalate|put|get|reach|page)\b[\w\s']{0,20}?\b(?:to|with|me to|me with|me through to)?\s*${PERSON}\b`),
  new RegExp(String.raw`\b(?:need|want|get|give me|let me talk to|rather talk to)\s+${PERSON}\b`),
  new RegExp(String.raw`\b${PERSON}\b[\w\s']{0,20}\b(?:i|we) (?:can|could) (?:talk|speak|chat) (?:to|with)\b`),
  /\b(?:open|create|submit|log|file|put in|raise|start|make)\s+(?:a |an |me a |my )?(?:new )?(?:help ?desk |it |support )?(?:ticket|incident|service request|help ?desk request|case)\b/,
  /\b(?:call|phone|ring) me\b/,
  /\b(?:have|can|could) (?:someone|somebody|a person|a tech|it|the help ?desk) (?:call|contact|come|help|reach)\b/,
  /\b(?:human|person|agent|representative|operator) please\b/,
  /^(?:agent|human|operator|representative|escalate|help ?desk|ticket)[.!?]*$/,
  /^(?:please |pls |plz )?escalate(?: (?:this|it|that|me|my (?:issue|problem|ticket|case)))?(?: (?:please|pls|now|asap))?[.!?]*$/,
  /\b(?:this bot|you|this) (?:is|are)n?'?t? (?:not )?(?:helping|useless|no help|no good)\b/,
];

/** "How do I reach the help desk" asks for contact details (an article), not for a person now. */
const CONTACT_INFO_QUESTION =
  /\b(?:how (?:do|can|would|should) (?:i|we|you)|how to|where (?:do|can) (?:i|we)|what(?:'s| is)(?: the)? (?:best )?way to)\s+(?:reach|contact|call|email|phone|get (?:a )?hold of|find|put in|open|submit|create|log|file|raise|check)\b(?![\w\s']*\b(?:human|person|someone|somebody|agent|representative|real|live)\b)/;

/** True when the user asks for a person / the help desk / a ticket. */
export function asksForPerson(raw: string): boolean {
  const text = prepare(raw);
  if (CONTACT_INFO_QUESTION.test(text)) return false;
  if (/^(?:are|r) (?:you|u) (?:a |an )?/.test(text)) return false; // "are you a real person" is about Elbow
  return ESCALATE_PATTERNS.some((p) => p.test(text));
}

// ---------------------------------------------------------------- clinical advice (decline)

/** Drug names and classes clinicians type; suffixes below catch most generic names not listed. */
const DRUG_NAMES = words(`
  acetaminophen | tylenol | ibuprofen | motrin | advil | naproxen | heparin | enoxaparin | lovenox | warfarin | coumadin |
  apixaban | eliquis | rivaroxaban | xarelto | insulin | lantus | humalog | novolog | metoprolol | lopressor | toprol |
  lisinopril | amlodipine | furosemide | lasix | bumex | potassium | kcl | k rider | magnesium | mag | phos | calcium |
  morphine | dilaudid | hydromorphone | oxycodone | oxy | percocet | norco | vicodin | fentanyl | methadone | suboxone |
  vancomycin | vanc | vanco | zosyn | ceftriaxone | rocephin | cefazolin | ancef | cipro | levaquin | bactrim | flagyl |
  keflex | augmentin | amoxicillin | azithromycin | zithromax | doxy | doxycycline | meropenem | cefepime | abx |
  antibiotics? | antibiotic | digoxin | amiodarone | diltiazem | cardizem | labetalol | hydralazine | nitroglycerin | nitro |
  ondansetron | zofran | phenergan | promethazine | compazine | reglan | lorazepam | ativan | versed | midazolam | valium |
  xanax | haloperidol | haldol | seroquel | quetiapine | zyprexa | prednisone | solumedrol | solu-medrol | methylprednisolone |
  dexamethasone | decadron | hydrocortisone | metformin | glipizide | aspirin | asa | plavix | clopidogrel | tpa | alteplase |
  norepinephrine | levophed | epinephrine | epi | vasopressin | dopamine | dobutamine | phenylephrine | neo | propofol |
  precedex | ketamine | ketorolac | toradol | benadryl | diphenhydramine | narcan | naloxone | albuterol | duoneb |
  tramadol | gabapentin | neurontin | protonix | pantoprazole | pepcid | famotidine | colace | senna | miralax | lactulose |
  sodium bicarb | bicarb | d50 | dextrose | d5w | saline | normal saline | ns | lr | lactated ringers | fluids? |
  bolus | drip | prbcs? | ffp | platelets | tdap | vaccine | flu shot | iron | vitamin k | pcn | penicillin | sulfa |
  pain meds? | sleep meds? | anticoagulants? | blood thinners? | steroids? | opioids? | narcotics? | benzos? | pressors?`);
const DRUG_SUFFIXES = String.raw`[a-z]{2,}(?:mycin|micin|cillin|floxacin|cycline|azole|prazole|sartan|pril|olol|dipine|statin|parin|xaban|gatran|tidine|sone|olone|azepam|azolam|codone|morphone|setron|triptan|gliptin|gliflozin|profen|terol|tropium|pramine|oxetine|afil|vir|mab|nib)`;
const DRUG = String.raw`(?:${DRUG_NAMES}|${DRUG_SUFFIXES})`;

/** Labs, vital signs and scores, as typed at the bedside. */
const LABS = words(`
  potassium | k | sodium | na | creatinine | cr | creat | bun | gfr | hemoglobin | hgb | hb | h&h | hematocrit | hct | wbc |
  white count | platelets? | plt | inr | ptt | pt/inr | anti-xa | troponin | trop | lactate | lactic | glucose | blood sugar |
  sugar | bs | bg | fsbs | cbg | a1c | bnp | abg | vbg | ph | pco2 | po2 | bicarb | co2 | magnesium | mag | phos | calcium |
  ca | lipase | ast | alt | bilirubin | bili | tsh | d-dimer | ddimer | dimer | procalcitonin | procal | crp | esr | ua |
  urinalysis | culture | cultures | ekg | ecg | qtc | blood pressure | bp | sbp | map | heart rate | hr | pulse | rr |
  resp rate | respiratory rate | o2 sat | spo2 | sats? | o2 | temp | fever | pain score | gcs | ammonia | lvl | level`);

/** Conditions and clinical situations (for "what do I give for ..."). */
const CONDITIONS = words(`
  uti | pneumonia | cap | sepsis | septic | cellulitis | chf | copd | afib | a-fib | rvr | svt | dvt | pe | mi | stemi |
  nstemi | stroke | htn | hypertension | hypotension | dka | hypoglycemia | hyperglycemia | hyperkalemia | hypokalemia |
  hyponatremia | nausea | vomiting | anxiety | agitation | delirium | withdrawal | ciwa | fluid overload | ards | aki |
  seizure | seizures | constipation | insomnia | itching | rash | allergic reaction | anaphylaxis | bradycardia | tachycardia`);

/**
 * A drug, lab or condition named unambiguously. Short tokens that are also everyday words or EHR words
 * ("hr" for hour, "k", "level", "pain" in "pain reassessment row") are left out on purpose.
 */
const CLINICAL_ITEM = new RegExp(
  String.raw`\b(?:${DRUG_NAMES}|${DRUG_SUFFIXES}|${CONDITIONS}|potassium|sodium|creatinine|hemoglobin|hgb|h&h|inr|ptt|troponin|trop|lactate|lactic|glucose|blood sugar|sugar|a1c|bnp|abg|magnesium|lipase|bilirubin|d-dimer|procalcitonin|qtc|blood pressure|bp|heart rate|o2 sat|spo2|sats)\b`,
);
const AMBIGUOUS_CLINICAL = /\b(?:pain meds?|drip|bolus|fluids?|ns|lr|neo|epi|asa|mag|iron|oxy|k rider)\b/;

/** Question frames that are clinical when they are about a drug, lab or condition. */
const FRAMED_DECLINE_PATTERNS = [
  // Timing of treatment or monitoring: "when should they stop it", "when do i repeat the lactate".
  /\bwhen (?:should|do|can|would|to|must)\b[\w\s']{0,25}\b(?:stop|start|hold|restart|resume|repeat|recheck|re-?check|redraw|re-?draw|draw|wean|d\/?c|discontinue|give|bridge)\b/,
  /\bhow (?:long|soon|often)\b[\w\s']{0,40}\b(?:draw|recheck|repeat|redraw|give|wait|hold|stop|run|infuse)\b/,
  // Rates: "how fast do i run vanc".
  /\bhow (?:fast|quickly|slow(?:ly)?)\b[\w\s']{0,25}\b(?:run|push|infuse|give|hang|bolus|drip|titrate|go)\b/,
  /\bwhat rate\b|\brun (?:it|this|that|the \w+) over\b/,
  // "should i call the doc" about a value or drug is a clinical judgement.
  /\b(?:should|do) (?:i|we) (?:need to )?(?:call|page|notify|wake|update|tell)\b(?: (?:up )?(?:the|my|our|a|an))? (?:doc|doctor|md|physician|provider|resident|attending|hospitalist|intensivist|surgeon|np|pa|rapid|rrt|team|on ?call|covering)\b/,
  // Two drugs together.
  /\btogether\b[\w\s]{0,10}\?|\b(?:at the same time|same line|y-?site)\b/,
];

/** "held dose of", "wrong dose for": a dose as an EHR record, not a dosing question. */
const NOT_AN_EHR_DOSE = String.raw`\b(?<!\b(?:held|refused|missed|wrong|late|early|skipped|given|next|scheduled|due|documented|charted|extra|duplicate|first|last|time|prn|this|that|a|one)\s)`;

/** "How do I document / chart / order ...": EHR mechanics, even when a drug or a lab is named. */
const EHR_HOW_TO =
  /^(?:how (?:do|can|should|would) (?:i|we|you)|how to|where (?:do|can|would|should) (?:i|we)|where to)\s+(?:document|chart|enter|record|scan|find|see|print|reprint|sign|cosign|verify|override|pull|mark|edit|fix|correct|undo|cancel|add|remove|view|look up|reconcile|release|acknowledge|link|order)\b/;

const DECLINE_PATTERNS = [
  // Dosing.
  /\b(?:what(?:'s| is)? the|right|correct|usual|normal|max(?:imum)?|starting|loading|pediatric|peds|renal|weight[- ]based)\s+(?:dose|dosage|dosing|rate)\b/,
  new RegExp(String.raw`${NOT_AN_EHR_DOSE}(?:dose|dosage|dosing)\s+(?:of|for)\b`),
  new RegExp(String.raw`${NOT_AN_EHR_DOSE}(?:dose|dosage|dosing)\b[\w\s]{0,20}\b(?:${DRUG})\b|\b(?:${DRUG})\s+(?:dose|dosage|dosing)\b`),
  /\bhow (?:much|many)\b[\w\s]{0,30}\b(?:mg|mcg|units?|ml|tabs?|tablets?|doses?|should|can|to give|do i give)\b/,
  new RegExp(String.raw`\bhow (?:much|many)\s+(?:${DRUG})\b`),
  /\b\d+(?:\.\d+)?\s*(?:mg|mcg|units?|ml|meq|mmol)(?:\/(?:kg|hr|h|min|day))?\b[\w\s]{0,40}\b(?:ok|safe|too (?:much|high|low)|right|correct|enough)\b/,
  /\b(?:mg|mcg|units?)\s*(?:\/|per)\s*(?:kg|hr|hour|min|day)\b/,
  /\btitrat(?:e|ing|ion)\b(?![\w\s]{0,15}\b(?:row|rows|flowsheet|field|column|section)\b)/,
  // Treatment decisions.
  /\bshould (?:i|we|the (?:nurse|team)|they|he|she)\s+(?:give|hold|start|stop|d\/?c|discontinue|increase|decrease|wean|restart|resume|push|bolus|transfuse|treat|administer|double|skip|call a rapid|switch|draw|repeat|recheck)\b/,
  new RegExp(String.raw`\b(?:can|could|may|do|should) (?:i|we|you)\s+(?:give|push|hang|mix|crush|administer|run|infuse|split|bolus)\s+(?:(?:a|an|the|his|her|some|more|extra|another|iv|po|\d+)\s+)?(?:${DRUG})\b`),
  new RegExp(String.raw`\b(?:can|could|may|should) (?:my |the |this |a )?(?:pt|patient|he|she|they)\s+(?:take|have|get|receive|be given|chew)\s+(?:(?:a|an|the|his|her|some|more|extra|another|iv|po|\d+)\s+)?(?:${DRUG})\b`),
  // Two drugs together: "can my pt have ativan and dilaudid", "cipro ok with coumadin".
  new RegExp(String.raw`\b(?:can|could|may|should|ok|okay|safe|fine)\b[\w\s]{0,30}\b(?:${DRUG})\s+(?:and|with|\+|&|plus)\s+(?:(?:a|an|the|his|her|some)\s+)?(?:${DRUG})\b|\b(?:${DRUG})\s+(?:and|with|\+|&|plus)\s+(?:${DRUG})\s+together\b`),
  new RegExp(String.raw`\b(?:${DRUG})\b[\w\s]{0,15}\b(?:ok|okay|safe|fine|compatible)\s+(?:with|together|to (?:give|take|mix|run))\b`),
  new RegExp(String.raw`\b(?:give|push|hang|mix|take|combine)\s+(?:${DRUG})\s+(?:with|together|through|iv push|ivp|im)\b`),
  new RegExp(String.raw`\b(?:${DRUG})\s+(?:iv push|ivp|im|subq|sl|pr)\b|\b(?:iv push|ivp)\s+(?:${DRUG})\b`),
  /\b(?:safe|ok|okay|fine) to (?:give|take|push|hold|crush|mix|combine|administer|restart|resume|run)\b/,
  /\binteract(?:s|ing|ion|ions)?\b(?! (?:alert|warning|check|screen|pop|popup|pop-up|message|override)s?\b)/,
  /\b(?:contraindicat\w*|side effects?|adverse effects?|black box|allergic cross|cross[- ]react\w*)\b/,
  /\b(?:treat|treatment|manage|management) (?:of|for)\b(?![\w\s]{0,20}\b(?:plan|team) (?:note|tab|activity)\b)/,
  /\bhow (?:do|should) (?:i|we|you) (?:treat|manage)\b/,
  /\bwhat (?:else )?(?:do|should|can|could) (?:i|we) (?:give|do|start|use|order|try)(?: (?:instead|next|else))? (?:for|about|if|when|with)\b(?![\w\s]{0,30}\b(?:ehr|system|screen|login|password|printer|scanner|order set|chart|list|epic|cerner|computer|ticket|downtime|down time|outage|network|wifi)\b)/,
  new RegExp(String.raw`\b(?:what|which) (?:abx|antibiotics?|meds?|medications?|drugs?|pain meds?|fluids?|treatment|dose)\b[\w\s]{0,20}\b(?:${CONDITIONS}|should (?:i|we)|do (?:i|we) (?:give|start|use|order))\b`),
  /\b(?:hold|give|skip) (?:the |his |her |their )?(?:\w+ )?(?:dose|med|meds|medication)s? (?:if|when|because|since|for)\b/,
  new RegExp(String.raw`\b(?:hold|give|skip|stop|start|double)\s+(?:the |his |her |their )?(?:${DRUG})\s+(?:if|when|for|with|since|because|until)\b`),
  // Interpreting results.
  new RegExp(String.raw`\b(?:normal|critical|high|low|elevated|abnormal|dangerous|concerning)\s+(?:range\s+)?(?:for|of)?\s*(?:a |an |the )?(?:${LABS})\b(?! (?:alert|alerts|flag|flags|column|row|field|result|results|value|values)\b)`),
  /\b(?:what(?:'s| is| are)? (?:a )?normal|reference range|normal range|normal value)s?\b/,
  // A drug level with a number: "vanc trough of 22", "dig level 2.4".
  new RegExp(String.raw`\b(?:${DRUG})\s+(?:trough|peak|level|lvl)s?\s*(?:of|is|was|at|=|:)?\s*[<>]?\d`),
  new RegExp(String.raw`\b(?:${LABS})\s+(?:is|of|at|was|were|came back|come back|level(?: is)?|=|:)\s*[<>]?\d`),
  new RegExp(String.raw`\bis (?:a |an |the |his |her |this )?(?:${LABS})(?: level)? (?:of )?[<>]?\d[\d./]*\s*\w*\s*(?:normal|high|low|bad|ok|okay|dangerous|critical|concerning)\b`),
  /\b(?:interpret|interpreting|interpretation|read|reading) (?:this |the |my |a |an |his |her )?(?:lab|labs|result|results|ekg|ecg|rhythm|strip|abg|x-?ray|ct|scan|value|level)s?\b(?![\w\s]{0,20}\b(?:won|not|wont|cant|viewer|tab|screen|open|show|load|print)\b)/,
  /\bwhat does (?:a |an |this |the |his |her |my pt'?s? )?(?:[\w/&.-]+ ){0,3}(?:mean|indicate|suggest)\b(?![\w\s]{0,20}\b(?:error|message|icon|button|flag|symbol|color|colour|column|status|banner|screen)\b)/,
  // Asking for a diagnosis (an order that "needs a diagnosis" is an EHR field, not a clinical question).
  /\b(?:what|which)(?:'?s| is| are| could| might| would)?(?: be)? (?:the |a |his |her |their |my pts? |likely |possible )*(?:diagnosis|diagnoses|differential|dx|ddx)\b|\b(?:diagnose|dx)\s+(?:this|my|a|an|him|her|them|the (?:pt|patient))\b|\bdifferential (?:for|of|dx|diagnosis)\b|\bprognosis\b/,
  /\bis (?:this|that|it|his|her) (?:rhythm|rash|wound|ekg|ecg|result|level|value|lab)\b[\w\s]{0,20}\b(?:normal|ok|okay|bad|dangerous|serious|concerning)\b/,
  /\bis (?:that|this|it) (?:concerning|dangerous|normal|critical|bad|too (?:high|low))\b/,
  // Asking whether a finding is a condition: "is that an mi", "does this look like afib", "sounds like sepsis?".
  new RegExp(String.raw`\b(?:is|could|might) (?:that|this|it|he|she|they)(?: be)? (?:a |an |in )?(?:${CONDITIONS})\b|\b(?:look|looks|looking|sound|sounds|seem|seems) like (?:a |an )?(?:${CONDITIONS})\b`),
  // A value with a bedside question: "bp 180/100 should i ...", "hr 48 hold ...".
  new RegExp(String.raw`\b(?:${LABS})\s*(?:of |is |was |at |=|:)?\s*[<>]?\d+(?:[./]\d+)?\b[\w\s/.,]{0,40}\b(?:should (?:i|we) (?:hold|give|call|page|worry|be worried|treat|do|start|stop)|hold (?:the|his|her|it)|give (?:the|his|her|it|more)|call (?:the )?(?:doc|md|physician|provider|rapid)|ok\s*\??$|okay\s*\??$|normal|bad|concerning|worried|what do i do|what now)`),
];

/** True when the message asks for clinical judgement: doses, result interpretation, treatment. */
export function isClinicalQuestion(raw: string): boolean {
  const text = prepare(raw);
  if (EHR_HOW_TO.test(text)) return false;
  if (DECLINE_PATTERNS.some((p) => p.test(text))) return true;
  return (CLINICAL_ITEM.test(text) || AMBIGUOUS_CLINICAL.test(text)) && FRAMED_DECLINE_PATTERNS.some((p) => p.test(text));
}

const DRUG_WORD = new RegExp(String.raw`^(?:${DRUG_NAMES}|${DRUG_SUFFIXES})$`);
/** Opioids, benzodiazepines and stimulants: prescribing them electronically needs extra steps. */
const CONTROLLED_WORD =
  /^(?:oxycodone|oxy|oxycontin|percocet|norco|vicodin|hydrocodone|morphine|ms ?contin|dilaudid|hydromorphone|fentanyl|methadone|suboxone|buprenorphine|tramadol|ultram|codeine|tylenol ?3|ativan|lorazepam|xanax|alprazolam|valium|diazepam|klonopin|clonazepam|adderall|ritalin|vyvanse|ambien|zolpidem|[a-z]*(?:codone|morphone|azepam|azolam))$/;
const SHORT_DRUG_WORDS = new Set(['abx', 'kcl', 'tpa', 'ffp', 'pcn', 'vanc', 'prbc', 'prbcs', 'insulin']);
const LAB_WORDS = new Set(
  'cbc bmp cmp lft lfts bcx ucx ua inr ptt trop troponin lactate lactic a1c abg vbg bnp lipase culture cultures procal procalcitonin tsh ddimer panel'.split(' '),
);

/**
 * The word class of a clinical word the articles never name: a drug is a "medication", a test is a "lab result".
 * Lets "ceftriaxone not on my emar" search like "medication not on the mar" instead of as an unknown word.
 */
export function clinicalWordClass(token: string): string[] | null {
  if (LAB_WORDS.has(token)) return ['lab', 'result'];
  if (CONTROLLED_WORD.test(token)) return ['medication', 'controlled', 'substance'];
  if (SHORT_DRUG_WORDS.has(token) || (token.length >= 5 && /^[a-z]+$/.test(token) && DRUG_WORD.test(token))) return ['medication'];
  return null;
}

// ---------------------------------------------------------------- urgent

const EVERYONE = String.raw`(?:nobody|no one|noone|none of us|everyone|everybody|all of us|all (?:the )?(?:nurses|docs|staff|users|computers|workstations|screens)|whole (?:unit|floor|hospital|department|dept|team|clinic|ed|icu|building)|entire (?:unit|floor|hospital|department|dept|team|clinic|ed|icu|building)|the unit|our unit|the floor|our floor|multiple (?:people|users|units|computers))`;

const NOBODY = String.raw`(?:nobody|no one|noone|none of us|not a single (?:person|one|computer))`;

/** A system-wide outage, or a patient put at risk by the system: urgent unless planned or reported afterwards. */
const OUTAGE_PATTERNS = [
  new RegExp(String.raw`\b${NOBODY}\b[\w\s']{0,30}\bcan (?:get|log|sign|chart|access|open|see|use)\b`),
  /\b(?:ehr|epic|cerner|powerchart|firstnet|hyperspace|hyperdrive|meditech|system|systems|everything|network|computers?|chart(?:ing)?|emr|whole (?:unit|floor|hospital|department)|all (?:the )?(?:computers|workstations|screens))\b[\w\s']{0,25}\b(?:is |are |went |just |completely |totally )*(?:down|offline|crashed|out of service|out of order)\b/,
  new RegExp(String.raw`\b(?:down|offline|crashed|frozen|not working) (?:for|on|across|in|throughout) (?:the )?${EVERYONE}\b`),
  /\b(?:downtime|down time|outage|unplanned down|system down|site down|hospital[- ]wide)\b/,
  new RegExp(String.raw`\b${EVERYONE}\b[\w\s']{0,30}\b(?:cant|can't|cannot|unable to|not able to|can not|locked out|kicked out|getting (?:an |the )?error)\b`),
  new RegExp(String.raw`\b${EVERYONE}\b[\w\s']{0,20}\b(?:is|are|got|gets|get|keeps?) (?:down|locked|kicked|frozen|an error|the same error)\b`),
  /\b(?:pt|pts|patient|patients)(?:'s)?(?: (?:is|are|could be|may be|might be))? (?:safety|harm|at risk|in danger|unsafe)\b|\bsafety (?:issue|risk|concern)\b|\bunsafe\b|\bnear miss\b/,
  /\b(?:could|might|may|will) (?:\w+ ){0,3}?(?:wrong (?:med|meds|medication|dose|drug|treatment|blood|patient)|harm(?:ed)?|hurt|overdose)\b/,
  /\b(?:dose|doses|dosage|rate|concentration)\b[\w\s']{0,30}\b(?:doesnt|doesn't|does not|dont|don't|didnt|didn't|not) match\b|\b(?:different|wrong) (?:dose|dosage|rate|concentration)\b/,
  /\b(?:wrong patient|wrong pt|another patient'?s?|other patient'?s?)\b[\w\s]{0,30}\b(?:right now|currently|still|keeps?|is being|are being|going to|just now)\b/,
  // Another patient's data shown or filed in this chart, now: "emar showing another pts meds", "results filing to the wrong pt".
  /\b(?:showing|shows|displaying|displays|filing|files|populating|pulling|pulls|appearing|popping up)\b[\w\s']{0,25}\b(?:another|other|different|wrong) (?:patient|pt)s?'?s?\b/,
  /\b(?:another|other|different|wrong) (?:patient|pt)s?'?s? (?:\w+ ){0,4}?(?:showing|shows|displaying|displays|filing|files|populating|pulling|appearing|popping up) (?:in|on|up in|into) (?:my|this|the|our)\b/,
  // A near miss: "almost gave", "nearly hung" (what was about to happen, not what is waiting to happen).
  /\b(?:almost|nearly) (?:\w+ ){0,2}?(?:gave|given|hung|pushed|transfused|administered|charted)\b/,
];

/** Planned, past or "how do I report it" context: the topic may be urgent, the message is not. */
const NOT_NOW =
  /\b(?:planned|scheduled|upcoming|next|future|tomorrow|later this|this (?:weekend|week)|next (?:week|month)|drill|practice|last (?:week|month|night|shift|time)|yesterday|after (?:the )?(?:downtime|outage|fact)|(?:file|submit|write|fill out|complete|enter) (?:a |an )?(?:safety |incident |event )?report|(?:how|where)\b[\w\s']{0,15}\b(?:report|file|submit))\b/;

const URGENT_PATTERNS = [
  /\bcode (?:blue|stroke|sepsis|stemi|trauma|white|pink|rapid|grey|gray)\b/,
  /\b(?:pt|patient|he|she|they)(?:'s| is| are)? (?:coding|crashing|deteriorating|decompensating|seizing|bleeding(?: out)?|hypotensive|unresponsive|desatting|crumping)\b/,
  /\b(?:coding|crashing)\b/,
  /\brapid response\b/,
  /\bstat\b/,
  /\b(?:emergency|emergent|urgent|urgently|asap|life[- ]threatening|critical(?:ly)? (?:ill|situation))\b/,
  /\b(?:pt|pts|patient|patients|family|surgeon|or|team|doc|physician|attending|provider)\b[\w\s']{0,30}\bwaiting\b(?! (?:room|list|area|queue))/,
  /\b(?:pt|patient|he|she)\b[\w\s']{0,15}\bneeds?\b[\w\s']{0,30}\b(?:now|right now|asap|immediately|stat)\b/,
  /\b(?:in front of me|at the bedside right now|right now for (?:a|my) (?:pt|patient)|bedside waiting|in (?:severe |a lot of |so much )?pain)\b/,
  /\b(?:cant|can't|cannot|unable to|not able to) (?:give|pull|get|administer|hang) (?:any |the |my |his |her |their )?(?:meds|medications?|medicine|drugs|insulin|blood|antibiotics?|pain meds)\b/,
  /\b(?:about to|almost|nearly|going to) (?:\w+ ){0,2}?(?:give|gave|giving|hang|hung|hanging|administer|push|pushed|transfuse|pull)\b/,
  /\bdeliver(?:ing|y) (?:now|right now)\b|\bin labor\b|\bactive(?:ly)? (?:bleeding|seizing)\b/,
];

/** True when the message shows a patient is waiting, care is blocked now, or a system is down for many or unsafe. */
export function isUrgent(raw: string): boolean {
  return urgencyOf(raw).urgent;
}

/** Urgency and system risk (see describesSystemRisk) of one message, preparing its text once. */
export function urgencyOf(raw: string): { urgent: boolean; systemRisk: boolean } {
  const text = prepare(raw);
  const risk = systemRisk(text);
  return { urgent: risk || URGENT_PATTERNS.some((p) => p.test(text)), systemRisk: risk };
}

/**
 * True when the message reports, as happening now, an outage for many or a patient put at risk by the system
 * (another patient's data in the chart, a near miss). Unlike a waiting patient, this is what the urgent
 * articles (downtime, patient safety) are about.
 */
export function describesSystemRisk(raw: string): boolean {
  return systemRisk(prepare(raw));
}

function systemRisk(text: string): boolean {
  return !NOT_NOW.test(text) && OUTAGE_PATTERNS.some((p) => p.test(text));
}

const PROBLEM_NOW = /\b(?:cant|can't|cannot|unable|not|wont|won't|doesnt|doesn't|isnt|isn't|arent|aren't|no longer|stopped|broken|down|error|wrong|missing|failed|failing|lost|never|different|mismatch|merged)\b/;

/**
 * True when a message on an urgent topic (downtime, patient safety) describes a problem happening now,
 * rather than planning ahead ("planned downtime tonight"), reporting afterwards or asking where things are.
 */
export function describesCurrentProblem(raw: string): boolean {
  const text = prepare(raw);
  return !NOT_NOW.test(text) && PROBLEM_NOW.test(text);
}

// ---------------------------------------------------------------- small talk

const ACK = String.raw`(?:ok(?:ay)?|k|kk|sure|cool|alright|all right|yes|yep|yeah|no|nope|nah|lol|lmao|haha+|hehe|hm+|oh|oops|sorry|nvm|never ?mind|great|nice|wow|fine|good|sounds good|will do|got it|understood|perfect|awesome|sweet|:\)|:\(|👍|🙏|😀|🙂)`;
const THANKS = String.raw`(?:(?:thanks?(?: you)?|thank u|thx|tx|ty|tysm|cheers|much appreciated|appreciate (?:it|you|that|the help))(?: (?:so|very) much)?(?: for (?:the |your |all (?:the |your )?)?(?:help|info|information|answer|tip|tips|assistance|that|this))?|you'?re (?:the best|awesome|great|a lifesaver))`;
const WORKED = String.raw`(?:(?:that|it|this) (?:worked|fixed it|helped|did it|did the trick|solved it)|that fixed it|worked|fixed|solved|all set|all good)`;
const NAME = String.raw`(?: (?:elbow|bot|there|team|all|everyone|again|a lot|a bunch|man|friend))*`;

const SMALLTALK: { kind: SmalltalkKind; pattern: RegExp }[] = [
  { kind: 'greeting', pattern: new RegExp(String.raw`^(?:hi+|hello+|hey+|hiya|howdy|yo|hola|good (?:morning|afternoon|evening|day)|greetings|morning|afternoon|evening|sup|what'?s up|wassup)${NAME}$`) },
  // Items are separated by at least one space or comma, so no word can be split two ways (no backtracking blow-up).
  { kind: 'thanks', pattern: new RegExp(String.raw`^(?:(?:${ACK}|${WORKED})[ ,]+){0,4}${THANKS}${NAME}(?:[ ,]+(?:${ACK}|${WORKED})){0,4}$|^(?:${ACK}[ ,]+){0,4}${WORKED}(?:[ ,]+(?:${ACK}|${THANKS})){0,4}${NAME}$`) },
  { kind: 'bye', pattern: new RegExp(String.raw`^(?:(?:${ACK}|${THANKS}|gotta go|got to go|have to go|i'?m out|im out)[ ,]+){0,4}(?:bye+(?: bye)?|goodbye|good bye|bye for now|(?:see (?:you|ya|u)|cya|catch (?:you|ya))(?: later| tomorrow| soon| around)?|later|laters|good ?night|have a good (?:one|day|night|shift|weekend)|ttyl|signing off|gotta go|got to go|i'?m out|im out)${NAME}$`) },
  { kind: 'about', pattern: /^(?:who (?:are|r) (?:you|u)|what (?:are|r) (?:you|u)|what(?:'?s| is) your name|what (?:do i|should i|can i) call (?:you|u)|who (?:made|built|created|programmed) (?:you|u|this)|what can (?:you|u) (?:do|help (?:me )?with|help with)|what do (?:you|u) do|how (?:does|do) (?:this|you|u) work|(?:are|r) (?:you|u) (?:a |an )?(?:real )?(?:bot|robot|human|real|ai|person|computer|machine)|what is (?:this|elbow)|help|menu|commands|options|what can i ask(?: (?:you|u))?|what (?:kind|kinds|sort|sorts|type|types) of (?:stuff|things|questions) (?:can|do|should) i ask(?: (?:you|u))?|how can (?:you|u) help(?: me)?|what (?:do|can) (?:you|u) (?:know|help with)|what is this bot)$/ },
  { kind: 'howareyou', pattern: /^(?:how (?:are|r) (?:you|u)(?: doing| today)?|how'?s it going|how are things|you ok|how'?s your (?:day|shift)|how have you been)$/ },
  { kind: 'ack', pattern: new RegExp(String.raw`^${ACK}(?:[ ,]+${ACK}){0,3}$`) },
];

/** Kinds of small talk Elbow answers without searching. */
export type SmalltalkKind = 'greeting' | 'thanks' | 'bye' | 'about' | 'howareyou' | 'ack';

/** Classifies a whole message as small talk, or returns null when it carries a question. */
export function smalltalkKind(raw: string): SmalltalkKind | null {
  const text = prepare(raw).replace(/[!?.,]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!text || text.length > 80) return null;
  for (const { kind, pattern } of SMALLTALK) if (pattern.test(text)) return kind;
  return null;
}

import { cleanText } from './tokenize.js';

/**
 * Recognisers for what a message is, besides a how-to question. Each works on the cleaned,
 * lower-cased text and uses whole-word patterns, so "status" is not "stat" and "barcode" is not "code".
 */

function prepare(raw: string): string {
  return cleanText(raw).toLowerCase().replace(/[\u2018\u2019`]/g, "'").replace(/\s+/g, ' ').trim();
}

const PERSON = String.raw`(?:a |an |the |some |)(?:human|person|people|someone|somebody|some ?one|real (?:person|human|people)|live (?:agent|person|human|chat)|agent|representative|rep|tech|technician|analyst|it (?:person|guy|support|tech)|help ?desk(?: agent| person| staff| tech)?|service ?desk|support(?: person| staff| team| agent)?|operator)`;

const ESCALATE_PATTERNS = [
  new RegExp(String.raw`\b(?:talk|speak|chat|connect|transfer|escalate|put|get|reach|page)\b[\w\s']{0,20}?\b(?:to|with|me to|me with|me through to)?\s*${PERSON}\b`),
  new RegExp(String.raw`\b(?:need|want|get|give me|let me talk to)\s+${PERSON}\b`),
  /\b(?:open|create|submit|log|file|put in|raise|start|make)\s+(?:a |an |me a )?(?:new )?(?:ticket|incident|service request|help ?desk request|case)\b/,
  /\b(?:call|phone|ring) me\b/,
  /\b(?:have|can|could) (?:someone|somebody|a person|a tech|it|the help ?desk) (?:call|contact|come|help|reach)\b/,
  /\b(?:human|person|agent|representative|operator) please\b/,
  /^(?:agent|human|operator|representative|escalate|help ?desk|ticket)[.!?]*$/,
  /\b(?:this bot|you) (?:is|are)n?'?t? (?:not )?(?:helping|useless|no help)\b/,
];

/** True when the user asks for a person / the help desk / a ticket. */
export function asksForPerson(raw: string): boolean {
  const text = prepare(raw);
  return ESCALATE_PATTERNS.some((p) => p.test(text));
}

const DRUGS =
  'acetaminophen|tylenol|ibuprofen|motrin|advil|heparin|enoxaparin|lovenox|warfarin|coumadin|apixaban|eliquis|insulin|lantus|humalog|metoprolol|lopressor|lisinopril|amlodipine|furosemide|lasix|potassium|kcl|magnesium|morphine|dilaudid|hydromorphone|oxycodone|fentanyl|vancomycin|vanc|zosyn|ceftriaxone|rocephin|antibiotics?|digoxin|amiodarone|labetalol|hydralazine|nitroglycerin|nitro|ondansetron|zofran|lorazepam|ativan|haloperidol|haldol|prednisone|solumedrol|methylprednisolone|dexamethasone|metformin|aspirin|plavix|clopidogrel|tpa|alteplase|norepinephrine|levophed|propofol|precedex|ketorolac|toradol|benadryl|diphenhydramine|narcan|naloxone|albuterol|tramadol|gabapentin|sodium bicarb|bicarb|d50|dextrose|saline|fluids?|blood|prbcs?|platelets';

const LABS =
  'potassium|k|sodium|na|creatinine|cr|bun|gfr|hemoglobin|hgb|h&h|hematocrit|wbc|white count|platelets?|plt|inr|ptt|pt/inr|troponin|trop|lactate|lactic|glucose|blood sugar|bs|a1c|bnp|abg|ph|pco2|po2|bicarb|co2|magnesium|mag|phos|calcium|ca|lipase|ast|alt|bilirubin|bili|tsh|d-dimer|ddimer|procalcitonin|crp|esr|ua|urinalysis|culture|ekg|ecg|qtc|blood pressure|bp|heart rate|hr|o2 sat|spo2|sats?|temp|fever|map';

const DECLINE_PATTERNS = [
  // Dosing.
  /\b(?:what(?:'s| is)? the|right|correct|usual|normal|max(?:imum)?|starting|loading|pediatric|peds|renal)\s+(?:dose|dosage|dosing|rate)\b/,
  /\b(?:dose|dosage|dosing)\s+(?:of|for)\b/,
  /\bhow (?:much|many)\b[\w\s]{0,30}\b(?:mg|mcg|units?|ml|tabs?|tablets?|doses?|should|can|to give|do i give)\b/,
  new RegExp(String.raw`\bhow (?:much|many)\s+(?:${DRUGS})\b`),
  /\b\d+(?:\.\d+)?\s*(?:mg|mcg|units?|ml|meq|mmol)(?:\/(?:kg|hr|h|min|day))?\b[\w\s]{0,40}\b(?:ok|safe|too (?:much|high|low)|right|correct|enough)\b/,
  /\b(?:mg|mcg|units?)\s*(?:\/|per)\s*(?:kg|hr|hour|min|day)\b/,
  /\btitrat(?:e|ing|ion)\b/,
  // Treatment decisions.
  /\bshould (?:i|we|the (?:nurse|team))\s+(?:give|hold|start|stop|d\/?c|discontinue|increase|decrease|wean|restart|resume|push|bolus|transfuse|treat|administer|double|skip|call a rapid|use|switch)\b/,
  new RegExp(String.raw`\b(?:can|could|may|do) (?:i|we|you)\s+(?:give|push|hang|mix|crush|administer|take)\s+(?:${DRUGS})\b`),
  new RegExp(String.raw`\b(?:give|push|hang|mix|take|combine)\s+(?:${DRUGS})\s+(?:with|and|together|after|before)\b`),
  /\b(?:safe|ok|okay|fine) to (?:give|take|push|hold|crush|mix|combine|administer|restart|resume)\b/,
  /\b(?:drug|med(?:ication)?)?\s*interactions?\b(?! (?:alert|warning|check)s? (?:in|on|pop|keep|won|will|wont|not|is|are))/,
  /\b(?:contraindicat\w*|side effects?|adverse effects?|black box)\b/,
  /\b(?:treat|treatment|manage|management) (?:of|for)\b(?![\w\s]{0,20}\b(?:plan|team) (?:note|tab|activity)\b)/,
  /\bhow (?:do|should) (?:i|we|you) (?:treat|manage)\b/,
  /\bwhat (?:do|should) (?:i|we) (?:give|do) (?:for|about|if|when)\b(?![\w\s]{0,30}\b(?:ehr|system|screen|login|password|printer|scanner|order|chart|list)\b)/,
  /\b(?:hold|give|skip) (?:the |his |her |their )?(?:\w+ )?(?:dose|med|meds|medication)s? (?:if|when|because|since|for)\b/,
  // Interpreting results.
  new RegExp(String.raw`\b(?:normal|critical|high|low|elevated|abnormal|dangerous|concerning|bad|good|ok)\s+(?:range\s+)?(?:for|of)?\s*(?:a |an |the )?(?:${LABS})\b`),
  new RegExp(String.raw`\b(?:what(?:'s| is| are)? (?:a )?normal|reference range|normal range|normal value)s?\b`),
  new RegExp(String.raw`\b(?:${LABS})\s+(?:is|of|at|was|came back|level(?: is)?)\s+[<>]?\d`),
  new RegExp(String.raw`\bis (?:a |an |the |his |her |this )?(?:${LABS})(?: level)? (?:of )?[<>]?\d[\d.]*\s*\w*\s*(?:normal|high|low|bad|ok|okay|dangerous|critical|concerning)\b`),
  /\b(?:interpret|interpreting|interpretation|read|reading) (?:this |the |my |a |an |his |her )?(?:lab|labs|result|results|ekg|ecg|rhythm|strip|abg|x-?ray|ct|scan|value|level)s?\b(?![\w\s]{0,20}\b(?:won|not|wont|cant|viewer|tab|screen|open|show|load|print)\b)/,
  /\bwhat does (?:a |an |this |the |his |her |my pt'?s? )?(?:\w+ ){0,3}(?:mean|indicate|suggest)\b(?![\w\s]{0,20}\b(?:error|message|icon|button|flag|symbol|color|colour|column|status|banner|screen)\b)/,
  /\b(?:diagnos(?:e|is|es)|differential|prognosis)\b(?! (?:code|codes|list|field|column|search|missing|not))/,
  /\bis (?:this|that|it|his|her) (?:rhythm|rash|wound|ekg|ecg|result|level|value|lab)\b[\w\s]{0,20}\b(?:normal|ok|okay|bad|dangerous|serious|concerning)\b/,
];

/** True when the message asks for clinical judgement: doses, result interpretation, treatment. */
export function isClinicalQuestion(raw: string): boolean {
  const text = prepare(raw);
  return DECLINE_PATTERNS.some((p) => p.test(text));
}

const URGENT_PATTERNS = [
  /\b(?:ehr|epic|cerner|system|systems|everything|network|computers?|chart(?:ing)?|emr|whole (?:unit|floor|hospital|department)|all (?:the )?(?:computers|workstations|screens))\b[\w\s']{0,25}\b(?:is |are |went |just |completely |totally )*(?:down|offline|crashed|out)\b/,
  /\b(?:downtime|down time|outage|unplanned down|system down|site down|hospital[- ]wide)\b/,
  /\bcode (?:blue|stroke|sepsis|stemi|trauma|white|pink|rapid)\b/,
  /\b(?:pt|patient|he|she|they)(?:'s| is| are)? (?:coding|crashing|deteriorating|decompensating|seizing|bleeding out)\b/,
  /\b(?:coding|crashing)\b/,
  /\brapid response\b/,
  /\bstat\b/,
  /\b(?:emergency|emergent|urgent|urgently|asap|life[- ]threatening|critical(?:ly)? (?:ill|situation))\b/,
  /\b(?:pt|patient|patients|family|surgeon|or|team)(?:'s| is| are)? (?:waiting|waiting on me|on the table)\b/,
  /\b(?:in front of me|at the bedside right now|right now for (?:a|my) (?:pt|patient)|bedside waiting)\b/,
  /\b(?:cant|can't|cannot|unable to|not able to) (?:give|pull|get|administer|hang) (?:any |the |my |his |her |their )?(?:meds|medications?|medicine|drugs|insulin|blood|antibiotics?|pain meds)\b/,
  /\b(?:patient|pt) (?:safety|harm|at risk|in danger)\b|\bsafety (?:issue|risk|event|concern)\b|\bunsafe\b/,
  /\b(?:wrong patient|wrong pt)\b[\w\s]{0,30}\b(?:right now|currently|still|keeps?|is being|are being|going to)\b/,
  /\bdeliver(?:ing|y) (?:now|right now)\b|\bin labor\b|\bactive(?:ly)? (?:bleeding|seizing)\b/,
];

/** True when the message shows a patient is waiting or care is blocked. */
export function isUrgent(raw: string): boolean {
  const text = prepare(raw).replace(/'/g, "'");
  return URGENT_PATTERNS.some((p) => p.test(text));
}

const SMALLTALK: { kind: SmalltalkKind; pattern: RegExp }[] = [
  { kind: 'greeting', pattern: /^(?:hi+|hello+|hey+|hiya|howdy|yo|hola|good (?:morning|afternoon|evening|day)|greetings|morning|evening|sup|what'?s up|hi there|hello there|hey there)(?: (?:elbow|bot|there|team|all|everyone))?$/ },
  { kind: 'thanks', pattern: /^(?:(?:ok(?:ay)?|great|perfect|awesome|cool|got it|that worked|it worked|worked|fixed|solved|sweet|nice)[ ,]*)*(?:thanks?(?: you)?(?: (?:so|very) much)?|thx|ty|tysm|thank u|cheers|much appreciated|appreciate it|you'?re (?:the best|awesome|great))?(?: (?:elbow|bot|again|a lot|a bunch|!))*$/ },
  { kind: 'bye', pattern: /^(?:bye+|goodbye|good bye|see (?:you|ya)(?: later)?|later|cya|good ?night|have a good (?:one|day|night|shift)|ttyl|signing off)$/ },
  { kind: 'about', pattern: /^(?:who (?:are|r) (?:you|u)|what (?:are|r) (?:you|u)|what can (?:you|u) do|what do you do|how (?:does|do) (?:this|you) work|are you (?:a )?(?:bot|robot|human|real|ai|person)|what is (?:this|elbow)|help|menu|commands|what can i ask(?: you)?|how can you help(?: me)?|what is this bot)$/ },
  { kind: 'howareyou', pattern: /^(?:how (?:are|r) (?:you|u)(?: doing| today)?|how'?s it going|how are things|you ok|how'?s your (?:day|shift))$/ },
  { kind: 'ack', pattern: /^(?:ok(?:ay)?|k|kk|sure|cool|alright|all right|yes|yep|yeah|no|nope|nah|lol|lmao|haha+|hm+|oh|oops|sorry|nvm|never ?mind|great|nice|wow|fine|good|sounds good|will do|got it|understood|:\)|:\(|👍|🙏|😀|🙂)$/ },
];

/** Kinds of small talk Elbow answers without searching. */
export type SmalltalkKind = 'greeting' | 'thanks' | 'bye' | 'about' | 'howareyou' | 'ack';

/** Classifies a whole message as small talk, or returns null when it carries a question. */
export function smalltalkKind(raw: string): SmalltalkKind | null {
  const text = prepare(raw).replace(/[!?.,]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return null;
  for (const { kind, pattern } of SMALLTALK) if (pattern.test(text)) return kind;
  return null;
}

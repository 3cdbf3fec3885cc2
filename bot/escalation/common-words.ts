/**
 * Words that follow "patient" / "pt" / "room 12" in clinicians' messages and are not names:
 * common English, clinical and EHR vocabulary, product names, days and months. `redact` treats a
 * word after a name trigger as a name only when it is not in this list (see redact.ts).
 * Lower-case; matching is case-insensitive. Adding a word here stops its redaction after a trigger.
 */
const WORDS = `
a about above absent across actually added admin admission admissions admit admits admitted adult after again age
agent alarm alarms alert alerts all allergies allergy already also always am an and another any anymore anyone anything app
appears appointment appointments approved are arent aren't arm around arrived as asked asks at authorization auto awake away
back band bands banner barcode barcodes be became because bed beds been before being below between bill birth both box bp brought
but by
call called calling came can cannot cant can't card care cart case cases cell census change changed chart charted charting charts
chat check checked child children clinic close closed code coming comes complaint complete completed confused consent consult
contact could couldnt couldn't count current currently
daily data date daughter day days dc dead death deceased demographics department details device devices did didnt didn't died
different discharge discharged discharges display do doc document documentation documents does doesnt doesn't done dont don't
down drain drop due during
each ed education either elderly else email emergency employee empty encounter encounters end entered entry epic er error even
ever every everything exam example exists
family father female file files fine first floor flowsheet flowsheets follow for form forms found friday from front full
gave gender get gets getting given go goes going gone good got
had harm has hasnt hasn't have havent haven't having he header health hed heres her here hers hes he's him his history home
hospital how however
i icu id identifiers identity if im i'm images imaging in info information inpatient instead instructions insurance into
is isnt isn't it its it's
join just
keeps kept kid kids
lab label labels labs last later left less like list lists location locked log looked looking lookup lost
made male many mar may me medical medication medications meds menu merged message messages might mine missing mom monday more most
mother moved much must my mychart
name named names need needed needs never new newborn next night no none normal not note notes nothing now number numbers nurse
nurses
obs observation of off offline ok okay old older on once one only onto open opened or order ordered orders other our out
outpatient over own
page pain parent parents past patient patients pcp peds pending person phone photo picture pictures placed plan please portal
portals post pre prescription previous printed printing prior probably problem problems profile pt pts
ready really reason record records refused registered registration related report reports request required restricted result
results return right room rooms
safe safety said same saturday saw says schedule scheduled search searched searching second see seen sees sent session she shes
she's should show showing shows sick side signed since single sister sits so some someone something son sorry spouse station
status stay stays sticker stickers still stuck such summary sunday surgery
take taken test tests than that thats that's the their them then there theres they thing this those three through thursday
till to today told tomorrow too transfer transferred transfers triage tried tuesday two
under unit unknown unless until up update updated us used user using usually
vaccine verified very via visit visits vitals
waiting wants was wasnt wasn't we wednesday week well went were what whats what's when where which while who whole whom whose
why wife will window with without wont won't works would wouldnt wouldn't wristband wristbands wrong
x xray
year years yes yesterday yet you your
jan january feb february mar march apr april jun june jul july aug august sep sept september oct october nov november dec december
mon tue tues wed thu thur thurs fri sat sun
ehr emr cerner powerchart hyperspace haiku canto rover storyboard snapboard careconnect meditech allscripts athena teams
pyxis omnicell imprivata citrix vpn mfa duo bca
access accessed accessing advocate again against ago allowed almost along alright among and answer anywhere appear
arrive arrives arrival asking assigned assignment attached available avoid aware bar became become becomes begin being
belongings best better big board bring brings broke broken brother busy button buttons calls cant class clear click
come comfort communication completes connected connection context continue continues cool correctly cover crashed
dashboard dear decided declined demographic deleted describes desk died does doing double dropped duplicate early easy
emailed enough enter entering even exactly experience expired explain fail failed fails far feel fell few find finds
flow forgot full gets give gives great guess guy half hand happen happened happens hard hear held help helped here
high hit how identifier identifiers important include including info inside issue issues item items kind know knows
large late leave leaves leaving less let level light line link linked little live load loaded loading long look
looks lot low main make makes man manual mean meant message middle mine mistake monitor monitoring more move
movement moving name near nearly nobody nor notification nurse occur often oh ones online opening options order
others otherwise overview own page part passed pcp people perhaps pick place please point pop pops portal possible
preference preferences prefers press pretty print prints problem quick quickly quite rather reach read reads real
reason received receiving refuses relations removed request requested requests reset rest returned returns roster
rounds run runs satisfaction saying seem seems select selected selection send sending sent service set sets shall
share short shouldnt side sign simple simply slow small somehow soon speak start started starts state stopped story
suddenly sure switch switched system tab tablet talk talked tell tells thank thanks these think third thought tile
timeline times tiny told took total track tracker tracking tried trying turn turned type types understand unless
unlocked unsure urgent usual view visible wait want wanted warning watch way ways went what whatever woman work
worked working workflow worry would wrote yours yourself
keep eval evals evaluation therapy treatment treatments plan plans goes wont cant dont doesnt isnt didnt
mr mrs ms mx miss dr prof
mrn dob ssn acct fin csn har phone email rm bay age sex yo born specific general overall primary
able actual alone awaiting bedside critical discharging dying elsewhere frail grid hold identifier inside isolation
lobby mobile non nonverbal outside paperwork portal preferred private recent recently scheduled sedated sleeping stable
table tab transport unable unstable upstairs downstairs verbal
ct mri us ekg ecg cbc bmp cmp pca iv npo dnr fyi asap stat prn or pacu nicu picu ob l&d ltc snf rehab hospice tele
`;

/** The stoplist as a set, for `redact`. */
export const COMMON_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));

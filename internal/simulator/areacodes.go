package simulator

// geographicAreaCodes maps real US geographic area codes to their state, so
// generated inventories look like what Flowroute lists.
var geographicAreaCodes = map[string]string{
	"201": "nj", "202": "dc", "203": "ct", "205": "al", "206": "wa", "207": "me", "208": "id", "209": "ca",
	"210": "tx", "212": "ny", "213": "ca", "214": "tx", "215": "pa", "216": "oh", "217": "il", "218": "mn",
	"219": "in", "220": "oh", "223": "pa", "224": "il", "225": "la", "228": "ms", "229": "ga", "231": "mi",
	"234": "oh", "239": "fl", "240": "md", "248": "mi", "251": "al", "252": "nc", "253": "wa", "254": "tx",
	"256": "al", "260": "in", "262": "wi", "267": "pa", "269": "mi", "270": "ky", "272": "pa", "274": "wi",
	"276": "va", "279": "ca", "281": "tx", "301": "md", "302": "de", "303": "co", "304": "wv", "305": "fl",
	"307": "wy", "308": "ne", "309": "il", "310": "ca", "312": "il", "313": "mi", "314": "mo", "315": "ny",
	"316": "ks", "317": "in", "318": "la", "319": "ia", "320": "mn", "321": "fl", "323": "ca", "325": "tx",
	"330": "oh", "331": "il", "334": "al", "336": "nc", "337": "la", "339": "ma", "341": "ca", "346": "tx",
	"347": "ny", "351": "ma", "352": "fl", "360": "wa", "361": "tx", "364": "ky", "380": "oh", "385": "ut",
	"386": "fl", "401": "ri", "402": "ne", "404": "ga", "405": "ok", "406": "mt", "407": "fl", "408": "ca",
	"409": "tx", "410": "md", "412": "pa", "413": "ma", "414": "wi", "415": "ca", "417": "mo", "419": "oh",
	"423": "tn", "424": "ca", "425": "wa", "430": "tx", "432": "tx", "434": "va", "435": "ut", "440": "oh",
	"442": "ca", "443": "md", "445": "pa", "458": "or", "463": "in", "469": "tx", "470": "ga", "475": "ct",
	"478": "ga", "479": "ar", "480": "az", "484": "pa", "501": "ar", "502": "ky", "503": "or", "504": "la",
	"505": "nm", "507": "mn", "508": "ma", "509": "wa", "510": "ca", "512": "tx", "513": "oh", "515": "ia",
	"516": "ny", "517": "mi", "518": "ny", "520": "az", "530": "ca", "531": "ne", "534": "wi", "539": "ok",
	"540": "va", "541": "or", "551": "nj", "559": "ca", "561": "fl", "562": "ca", "563": "ia", "564": "wa",
	"567": "oh", "570": "pa", "571": "va", "573": "mo", "574": "in", "575": "nm", "580": "ok", "585": "ny",
	"586": "mi", "601": "ms", "602": "az", "603": "nh", "605": "sd", "606": "ky", "607": "ny", "608": "wi",
	"609": "nj", "610": "pa", "612": "mn", "614": "oh", "615": "tn", "616": "mi", "617": "ma", "618": "il",
	"619": "ca", "620": "ks", "623": "az", "626": "ca", "628": "ca", "629": "tn", "630": "il", "631": "ny",
	"636": "mo", "640": "nj", "641": "ia", "646": "ny", "650": "ca", "651": "mn", "657": "ca", "660": "mo",
	"661": "ca", "662": "ms", "667": "md", "669": "ca", "678": "ga", "680": "ny", "681": "wv", "682": "tx",
	"689": "fl", "701": "nd", "702": "nv", "703": "va", "704": "nc", "706": "ga", "707": "ca", "708": "il",
	"712": "ia", "713": "tx", "714": "ca", "715": "wi", "716": "ny", "717": "pa", "718": "ny", "719": "co",
	"720": "co", "724": "pa", "725": "nv", "726": "tx", "727": "fl", "731": "tn", "732": "nj", "734": "mi",
	"737": "tx", "740": "oh", "743": "nc", "747": "ca", "754": "fl", "757": "va", "760": "ca", "762": "ga",
	"763": "mn", "765": "in", "769": "ms", "770": "ga", "772": "fl", "773": "il", "774": "ma", "775": "nv",
	"779": "il", "781": "ma", "785": "ks", "786": "fl", "801": "ut", "802": "vt", "803": "sc", "804": "va",
	"805": "ca", "806": "tx", "808": "hi", "810": "mi", "812": "in", "813": "fl", "814": "pa", "815": "il",
	"816": "mo", "817": "tx", "818": "ca", "820": "ca", "828": "nc", "830": "tx", "831": "ca", "832": "tx",
	"838": "ny", "839": "sc", "840": "ca", "843": "sc", "845": "ny", "847": "il", "848": "nj", "850": "fl",
	"854": "sc", "856": "nj", "857": "ma", "858": "ca", "859": "ky", "860": "ct", "862": "nj", "863": "fl",
	"864": "sc", "865": "tn", "870": "ar", "872": "il", "878": "pa", "901": "tn", "903": "tx", "904": "fl",
	"906": "mi", "907": "ak", "908": "nj", "909": "ca", "910": "nc", "912": "ga", "913": "ks", "914": "ny",
	"915": "tx", "916": "ca", "917": "ny", "918": "ok", "919": "nc", "920": "wi", "925": "ca", "928": "az",
	"929": "ny", "930": "in", "931": "tn", "934": "ny", "936": "tx", "937": "oh", "938": "al", "940": "tx",
	"941": "fl", "943": "ga", "945": "tx", "947": "mi", "949": "ca", "951": "ca", "952": "mn", "954": "fl",
	"956": "tx", "959": "ct", "970": "co", "971": "or", "972": "tx", "973": "nj", "978": "ma", "979": "tx",
	"980": "nc", "984": "nc", "985": "la",
}

// tollFreeAreaCodes are the toll-free codes in use.
var tollFreeAreaCodes = []string{"800", "833", "844", "855", "866", "877", "888"}

// states lists the two-letter codes used for generated area codes that are
// not in geographicAreaCodes.
var states = []string{
	"al", "ak", "az", "ar", "ca", "co", "ct", "de", "dc", "fl", "ga", "hi", "id", "il", "in", "ia", "ks",
	"ky", "la", "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc",
	"nd", "oh", "ok", "or", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy",
}

// townNames feed the rate center names (abbreviated the way telephone rate
// centers are, e.g. "springfield" -> "sprngfld").
var townNames = []string{
	"springfield", "fairview", "riverside", "clinton", "madison", "franklin", "georgetown", "salem",
	"greenville", "bristol", "chester", "marion", "oxford", "ashland", "dover", "milton", "newport",
	"jackson", "auburn", "lexington", "burlington", "manchester", "kingston", "lebanon", "hudson",
	"arlington", "centerville", "mountvernon", "newyorkcity", "jerseycity", "lakewood", "hamilton",
	"oakland", "portland", "richmond", "columbia", "florence", "winchester", "plymouth", "shelbyville",
	"brookfield", "westfield", "fremont", "glendale", "pleasanton", "summit", "union", "waverly",
}

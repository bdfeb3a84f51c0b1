// Windows time zone names (as Azure autoscale writes them in `timeZone`) to IANA names, and back.
//
// Sources:
// - unicode-org/cldr common/supplemental/windowsZones.xml, the <mapZone territory="001"> entry of each
//   Windows zone (the "golden" zone CLDR names for it). Where CLDR writes an IANA link kept for
//   compatibility ("Asia/Calcutta", "Europe/Kiev", ...), the current canonical tzdb name is used and
//   the CLDR value is given beside it; both name the same rules.
// - The names Azure autoscale accepts: the `timeZone` description of RecurrentSchedule and TimeWindow in
//   azure-rest-api-specs (monitor, autoscale_API.json: "Some examples of valid time zones are: Dateline
//   Standard Time, UTC-11, ...") and azure-cli's AUTOSCALE_TIMEZONES list (monitor/_autoscale_util.py,
//   which `az monitor autoscale profile list-timezones` prints). The azure-cli list also uses some
//   Windows *standard names* instead of zone ids ("Russia TZ 2 Standard Time" is the standard name of
//   the zone "Russian Standard Time"); those are accepted as aliases below.
// Lookups ignore case: Windows zone ids are case-insensitive (CLDR spells "Turks And Caicos Standard
// Time", azure-cli "Turks and Caicos Standard Time").

/** Windows zone id → IANA zone: CLDR windowsZones.xml, territory "001". */
export const WINDOWS_TO_IANA: Readonly<Record<string, string>> = Object.freeze({
  'Dateline Standard Time': 'Etc/GMT+12',
  'UTC-11': 'Etc/GMT+11',
  'Aleutian Standard Time': 'America/Adak',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Marquesas Standard Time': 'Pacific/Marquesas',
  'Alaskan Standard Time': 'America/Anchorage',
  'UTC-09': 'Etc/GMT+9',
  'Pacific Standard Time (Mexico)': 'America/Tijuana',
  'UTC-08': 'Etc/GMT+8',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time (Mexico)': 'America/Mazatlan',
  'Mountain Standard Time': 'America/Denver',
  'Yukon Standard Time': 'America/Whitehorse',
  'Central America Standard Time': 'America/Guatemala',
  'Central Standard Time': 'America/Chicago',
  'Easter Island Standard Time': 'Pacific/Easter',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Canada Central Standard Time': 'America/Regina',
  'SA Pacific Standard Time': 'America/Bogota',
  'Eastern Standard Time (Mexico)': 'America/Cancun',
  'Eastern Standard Time': 'America/New_York',
  'Haiti Standard Time': 'America/Port-au-Prince',
  'Cuba Standard Time': 'America/Havana',
  'US Eastern Standard Time': 'America/Indiana/Indianapolis', // CLDR: America/Indianapolis
  'Turks And Caicos Standard Time': 'America/Grand_Turk',
  'Paraguay Standard Time': 'America/Asuncion',
  'Atlantic Standard Time': 'America/Halifax',
  'Venezuela Standard Time': 'America/Caracas',
  'Central Brazilian Standard Time': 'America/Cuiaba',
  'SA Western Standard Time': 'America/La_Paz',
  'Pacific SA Standard Time': 'America/Santiago',
  'Newfoundland Standard Time': 'America/St_Johns',
  'Tocantins Standard Time': 'America/Araguaina',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'SA Eastern Standard Time': 'America/Cayenne',
  'Argentina Standard Time': 'America/Argentina/Buenos_Aires', // CLDR: America/Buenos_Aires
  'Greenland Standard Time': 'America/Nuuk', // CLDR: America/Godthab
  'Montevideo Standard Time': 'America/Montevideo',
  'Magallanes Standard Time': 'America/Punta_Arenas',
  'Saint Pierre Standard Time': 'America/Miquelon',
  'Bahia Standard Time': 'America/Bahia',
  'UTC-02': 'Etc/GMT+2',
  'Azores Standard Time': 'Atlantic/Azores',
  'Cape Verde Standard Time': 'Atlantic/Cape_Verde',
  UTC: 'Etc/UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'Sao Tome Standard Time': 'Africa/Sao_Tome',
  'Morocco Standard Time': 'Africa/Casablanca',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'Jordan Standard Time': 'Asia/Amman',
  'GTB Standard Time': 'Europe/Bucharest',
  'Middle East Standard Time': 'Asia/Beirut',
  'Egypt Standard Time': 'Africa/Cairo',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'Syria Standard Time': 'Asia/Damascus',
  'West Bank Standard Time': 'Asia/Hebron',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'FLE Standard Time': 'Europe/Kyiv', // CLDR: Europe/Kiev
  'Israel Standard Time': 'Asia/Jerusalem',
  'South Sudan Standard Time': 'Africa/Juba',
  'Kaliningrad Standard Time': 'Europe/Kaliningrad',
  'Sudan Standard Time': 'Africa/Khartoum',
  'Libya Standard Time': 'Africa/Tripoli',
  'Namibia Standard Time': 'Africa/Windhoek',
  'Arabic Standard Time': 'Asia/Baghdad',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Arab Standard Time': 'Asia/Riyadh',
  'Belarus Standard Time': 'Europe/Minsk',
  'Russian Standard Time': 'Europe/Moscow',
  'E. Africa Standard Time': 'Africa/Nairobi',
  'Iran Standard Time': 'Asia/Tehran',
  'Arabian Standard Time': 'Asia/Dubai',
  'Astrakhan Standard Time': 'Europe/Astrakhan',
  'Azerbaijan Standard Time': 'Asia/Baku',
  'Russia Time Zone 3': 'Europe/Samara',
  'Mauritius Standard Time': 'Indian/Mauritius',
  'Saratov Standard Time': 'Europe/Saratov',
  'Georgian Standard Time': 'Asia/Tbilisi',
  'Volgograd Standard Time': 'Europe/Volgograd',
  'Caucasus Standard Time': 'Asia/Yerevan',
  'Afghanistan Standard Time': 'Asia/Kabul',
  'West Asia Standard Time': 'Asia/Tashkent',
  'Ekaterinburg Standard Time': 'Asia/Yekaterinburg',
  'Pakistan Standard Time': 'Asia/Karachi',
  'Qyzylorda Standard Time': 'Asia/Qyzylorda',
  'India Standard Time': 'Asia/Kolkata', // CLDR: Asia/Calcutta
  'Sri Lanka Standard Time': 'Asia/Colombo',
  'Nepal Standard Time': 'Asia/Kathmandu', // CLDR: Asia/Katmandu
  'Central Asia Standard Time': 'Asia/Bishkek',
  'Bangladesh Standard Time': 'Asia/Dhaka',
  'Omsk Standard Time': 'Asia/Omsk',
  'Myanmar Standard Time': 'Asia/Yangon', // CLDR: Asia/Rangoon
  'SE Asia Standard Time': 'Asia/Bangkok',
  'Altai Standard Time': 'Asia/Barnaul',
  'W. Mongolia Standard Time': 'Asia/Hovd',
  'North Asia Standard Time': 'Asia/Krasnoyarsk',
  'N. Central Asia Standard Time': 'Asia/Novosibirsk',
  'Tomsk Standard Time': 'Asia/Tomsk',
  'China Standard Time': 'Asia/Shanghai',
  'North Asia East Standard Time': 'Asia/Irkutsk',
  'Singapore Standard Time': 'Asia/Singapore',
  'W. Australia Standard Time': 'Australia/Perth',
  'Taipei Standard Time': 'Asia/Taipei',
  'Ulaanbaatar Standard Time': 'Asia/Ulaanbaatar',
  'Aus Central W. Standard Time': 'Australia/Eucla',
  'Transbaikal Standard Time': 'Asia/Chita',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'North Korea Standard Time': 'Asia/Pyongyang',
  'Korea Standard Time': 'Asia/Seoul',
  'Yakutsk Standard Time': 'Asia/Yakutsk',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'AUS Central Standard Time': 'Australia/Darwin',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'West Pacific Standard Time': 'Pacific/Port_Moresby',
  'Tasmania Standard Time': 'Australia/Hobart',
  'Vladivostok Standard Time': 'Asia/Vladivostok',
  'Lord Howe Standard Time': 'Australia/Lord_Howe',
  'Bougainville Standard Time': 'Pacific/Bougainville',
  'Russia Time Zone 10': 'Asia/Srednekolymsk',
  'Magadan Standard Time': 'Asia/Magadan',
  'Norfolk Standard Time': 'Pacific/Norfolk',
  'Sakhalin Standard Time': 'Asia/Sakhalin',
  'Central Pacific Standard Time': 'Pacific/Guadalcanal',
  'Russia Time Zone 11': 'Asia/Kamchatka',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'UTC+12': 'Etc/GMT-12',
  'Fiji Standard Time': 'Pacific/Fiji',
  'Chatham Islands Standard Time': 'Pacific/Chatham',
  'UTC+13': 'Etc/GMT-13',
  'Tonga Standard Time': 'Pacific/Tongatapu',
  'Samoa Standard Time': 'Pacific/Apia',
  'Line Islands Standard Time': 'Pacific/Kiritimati',
});

/**
 * Names Azure autoscale lists that are not CLDR zone ids. Most are Windows standard names that
 * azure-cli's AUTOSCALE_TIMEZONES uses in place of the id (mapped to the id's zone); two are Windows
 * zones retired from CLDR ("- Old" in Windows), mapped as CLDR mapped them before retiring them.
 */
const WINDOWS_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'Coordinated Universal Time': 'Etc/UTC', // standard name of "UTC"
  'Cabo Verde Standard Time': 'Atlantic/Cape_Verde', // of "Cape Verde Standard Time"
  'Jerusalem Standard Time': 'Asia/Jerusalem', // of "Israel Standard Time"
  'Malay Peninsula Standard Time': 'Asia/Singapore', // of "Singapore Standard Time"
  'West Bank Gaza Standard Time': 'Asia/Hebron', // of "West Bank Standard Time"
  'Russia TZ 1 Standard Time': 'Europe/Kaliningrad', // of "Kaliningrad Standard Time"
  'Russia TZ 2 Standard Time': 'Europe/Moscow', // of "Russian Standard Time"
  'Russia TZ 3 Standard Time': 'Europe/Samara', // of "Russia Time Zone 3"
  'Russia TZ 4 Standard Time': 'Asia/Yekaterinburg', // of "Ekaterinburg Standard Time"
  'Russia TZ 5 Standard Time': 'Asia/Omsk', // of "Omsk Standard Time"
  'Novosibirsk Standard Time': 'Asia/Novosibirsk', // of "N. Central Asia Standard Time"
  'Russia TZ 6 Standard Time': 'Asia/Krasnoyarsk', // of "North Asia Standard Time"
  'Russia TZ 7 Standard Time': 'Asia/Irkutsk', // of "North Asia East Standard Time"
  'Russia TZ 8 Standard Time': 'Asia/Yakutsk', // of "Yakutsk Standard Time"
  'Russia TZ 9 Standard Time': 'Asia/Vladivostok', // of "Vladivostok Standard Time"
  'Russia TZ 10 Standard Time': 'Asia/Srednekolymsk', // of "Russia Time Zone 10"
  'Russia TZ 11 Standard Time': 'Asia/Kamchatka', // of "Russia Time Zone 11"
  'Kamchatka Standard Time': 'Asia/Kamchatka', // retired "(UTC+12:00) Petropavlovsk-Kamchatsky - Old"
  'Mid-Atlantic Standard Time': 'Etc/GMT+2', // retired "(UTC-02:00) Mid-Atlantic - Old"
});

/** Lower-cased name → IANA; built once from the frozen tables above (not mutated afterwards). */
const LOOKUP: ReadonlyMap<string, string> = new Map(
  [...Object.entries(WINDOWS_TO_IANA), ...Object.entries(WINDOWS_ALIASES)].map(([k, v]) => [k.toLowerCase(), v] as const),
);

/** IANA → the first Windows zone id mapping to it (ids only, never the aliases). */
const REVERSE: ReadonlyMap<string, string> = new Map(
  Object.entries(WINDOWS_TO_IANA)
    .reverse()
    .map(([k, v]) => [v, k] as const),
);

/** The IANA zone of a Windows zone name Azure autoscale accepts, ignoring case; undefined when unknown. */
export function windowsToIana(name: string): string | undefined {
  return LOOKUP.get(name.trim().toLowerCase());
}

/** The Windows zone id whose CLDR golden zone is `iana`; undefined for zones that are no Windows zone's golden zone. */
export function ianaToWindows(iana: string): string | undefined {
  return REVERSE.get(iana);
}

/** The app's version: shown on the station, and sent to the register with every sync request (`X-Depot-Version`). */
export const APP_VERSION = '0.1.0';

/** The header a station names its version in. */
export const VERSION_HEADER = 'X-Depot-Version';

/** What a version a station names may look like (anything else is not recorded). */
export const APP_VERSION_PATTERN = /^[0-9A-Za-z.+-]{1,32}$/;

/** The console's refusals, in words an administrator or supervisor can act on. */
import type { UserMessage } from '../../vocabulary/errors';
import { lockEnds } from '../../db/users/users';

export const REFUSALS = {
  signedOut: {
    sv: 'Du är inte inloggad i konsolen, eller så har inloggningen gått ut. Logga in igen.',
    en: 'You are not signed in to the console, or your session has ended. Sign in again.',
  },
  forbidden: {
    sv: 'Bara en administratör kan göra det. Be en administratör.',
    en: 'Only an administrator can do that. Ask an administrator.',
  },
  notForConsole: {
    sv: 'Konsolen är till för administratörer och arbetsledare. Använd stationen i förrådet.',
    en: 'The console is for administrators and supervisors. Use the station at your site.',
  },
  wrongPin: {
    sv: 'Fel användare eller PIN-kod. Försök igen.',
    en: 'Wrong user or PIN. Try again.',
  },
  noPinYet: {
    sv: 'Du har ingen PIN-kod än. Sätt din PIN-kod med engångskoden på en station först, och logga sedan in här.',
    en: 'You have no PIN yet. Set your PIN with the one-time code at a station first, then sign in here.',
  },
  unknownBadge: {
    sv: 'Passerbrickan hör inte till någon aktiv användare. Välj dig själv i listan.',
    en: 'The badge belongs to no active user. Choose yourself in the list.',
  },
  badRequest: {
    sv: 'Förfrågan är felaktig. Ladda om sidan och försök igen.',
    en: 'The request is malformed. Reload the page and try again.',
  },
  csrf: {
    sv: 'Förfrågan kom inte från konsolen och gjordes inte. Öppna konsolen och försök igen där.',
    en: 'The request did not come from the console and was not carried out. Open the console and try again there.',
  },
  tooLarge: {
    sv: 'Förfrågan är för stor. Skriv mindre och försök igen.',
    en: 'The request is too large. Write less and try again.',
  },
  failed: {
    sv: 'Registret kunde inte utföra det; inget har sparats. Försök igen, och kontakta IT om det upprepas.',
    en: 'The register could not do that; nothing was saved. Try again, and call IT if it happens again.',
  },
  notFound: {
    sv: 'Det finns inget sådant i konsolen. Ladda om sidan.',
    en: 'There is no such thing in the console. Reload the page.',
  },
  unknownSite: { sv: 'Förrådet finns inte. Välj ett förråd i listan.', en: 'The site does not exist. Choose a site in the list.' },
  unknownStation: { sv: 'Stationen finns inte, eller är redan borttagen. Ladda om listan.', en: 'The station does not exist, or is withdrawn already. Reload the list.' },
  unknownCode: { sv: 'Koden finns inte, är redan använd eller har gått ut.', en: 'The code does not exist, was used already or has expired.' },
  unknownUser: { sv: 'Användaren finns inte. Ladda om listan.', en: 'The user does not exist. Reload the list.' },
  badUser: {
    sv: 'Användaren kunde inte sparas: kontrollera namn (2–80 tecken), roll, förråd och passerbricka (U och 4–6 siffror).',
    en: 'The user could not be saved: check the name (2–80 characters), role, site and badge (U and 4–6 digits).',
  },
  self: {
    sv: 'Du kan inte inaktivera dig själv; be en annan administratör.',
    en: 'You cannot deactivate yourself; ask another administrator.',
  },
  noPin: {
    sv: 'Användaren är inte aktiv eller loggar in med bricka utan PIN-kod.',
    en: 'The user is not active, or signs in with a badge and no PIN.',
  },
  noPepper: {
    sv: 'Registret har ingen PIN-nyckel, så inga engångskoder eller PIN-koder kan kontrolleras här. Starta registret med regionens PIN-nyckel.',
    en: "The register has no PIN key, so no one-time codes or PINs can be checked here. Start the register with the region's PIN key.",
  },
  supervisorsAndAdmins: {
    sv: 'Bara en arbetsledare eller administratör kan ändra artiklarna.',
    en: 'Only a supervisor or an administrator can change the articles.',
  },
  unknownArticle: { sv: 'Artikeln finns inte längre. Ladda om listan.', en: 'The article no longer exists. Reload the list.' },
  badGtin: (gtin: string): UserMessage => ({
    sv: `${gtin} är ingen giltig GTIN (fel längd eller kontrollsiffra). Kontrollera streckkoden.`,
    en: `${gtin} is not a valid GTIN (wrong length or check digit). Check the barcode.`,
  }),
  numberTaken: (number: string, name: string): UserMessage => ({
    sv: `Artikelnummer ${number} finns redan (${name}). Välj ett annat nummer, eller ändra den artikeln.`,
    en: `Article number ${number} already exists (${name}). Choose another number, or change that article.`,
  }),
  codeTaken: (code: string, number: string): UserMessage => ({
    sv: `${code} hör redan till artikel ${number}. Ta bort koden där först, eller kontrollera streckkoden.`,
    en: `${code} already belongs to article ${number}. Remove it there first, or check the barcode.`,
  }),
  countedDifferently: {
    sv: 'Artikeln har saldo eller individer: om den hyrs ut och hur den följs kan inte ändras nu. Lägg upp en ny artikel i stället.',
    en: 'The article has stock or devices: whether it is rented out and how it is followed cannot change now. Create a new article instead.',
  },
  articleRefused: {
    sv: 'Artikeln kunde inte sparas: den håller inte registrets regler. Kontrollera uppgifterna och försök igen.',
    en: "The article could not be saved: it does not hold by the register's rules. Check the details and try again.",
  },
  unknownPoint: { sv: 'Leveransstället finns inte. Ladda om listan.', en: 'The delivery point does not exist. Reload the list.' },
  otherSite: {
    sv: 'Du kan bara ändra leveransställena för ditt eget förråd. Be en arbetsledare där, eller en administratör.',
    en: "You can change only your own site's delivery points. Ask a supervisor there, or an administrator.",
  },
  pointNameTaken: (name: string): UserMessage => ({
    sv: `Förrådet har redan ett leveransställe som heter ${name}. Välj ett annat namn.`,
    en: `The site already has a delivery point called ${name}. Choose another name.`,
  }),
  badgeTaken: (badge: string, name: string): UserMessage => ({
    sv: `Passerbrickan ${badge} är redan ${name}s. Välj en annan.`,
    en: `Badge ${badge} is ${name}'s already. Choose another.`,
  }),
} as const;

/** A lock after too many wrong PINs: until when (the register's local time, with the date when it is not today), and who can help. */
export function lockedMessage(until: number, now: number): UserMessage {
  const when = lockEnds(until, now);
  return {
    sv: `Inloggningen i konsolen är låst till ${when.sv} efter för många felaktiga PIN-koder. Vänta, eller be en annan administratör om hjälp.`,
    en: `Sign-in to the console is locked until ${when.en} after too many wrong PINs. Wait, or ask another administrator for help.`,
  };
}

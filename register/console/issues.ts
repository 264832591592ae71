/**
 * The region's rejected entries and conflicts as the console shows them: what happened, in the
 * words the register recorded, and what to do about it, in Swedish and English.
 */
import type { UserMessage } from '../../vocabulary/errors';

export interface Issue {
  id: string;
  kind: 'rejection' | 'conflict';
  at: number | null;
  stationName: string | null;
  siteName: string | null;
  /** What happened. */
  message: UserMessage;
  /** What to do about it. */
  advice: UserMessage;
}

type Row = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What to do about a rejected entry, by its code: most are put right at the station that sent it. */
function rejectionAdvice(code: string): UserMessage {
  if (code === 'sync.bad_date')
    return {
      sv: 'Ställ stationens klocka rätt. Stationens arbetsledare ser posten under Registret på stationen; boka om det som inte bokades.',
      en: "Set the station's clock right. The station's supervisor sees the entry under Register at the station; book again what was not booked.",
    };
  if (code === 'sync.duplicate_movement' || code === 'sync.foreign_movement' || code === 'sync.bad_correction' || code === 'sync.bad_movement')
    return {
      sv: 'Kontakta IT om stationen: den skickar poster som inte hör till den eller redan finns. Stationen ska inte användas för fler bokningar förrän IT tittat på den.',
      en: 'Contact IT about the station: it sends entries that are not its own or are there already. The station should book nothing more until IT has looked at it.',
    };
  if (code === 'sync.bad_user')
    return {
      sv: 'Ändra användaren här i konsolen (Användare) eller på en station som administratör; en användare sätter sin PIN-kod själv med en engångskod.',
      en: 'Change the user here in the console (Users) or at a station as an administrator; a user sets their PIN themselves with a one-time code.',
    };
  return {
    sv: 'Stationens arbetsledare ser posten under Registret på stationen. Kontrollera saldot på plats och boka om det som behövs med rätt funktion; rörelserna i posten bokades inte i registret.',
    en: "The station's supervisor sees the entry under Register at the station. Check the stock on the spot and book again what is needed with the right function; the entry's movements were not booked at the register.",
  };
}

export function issueAdvice(
  kind: 'rejection' | 'conflict',
  id: string,
  d: Row,
  facts: { stationName: string | null; siteName: string | null; keptLocation: string | null; keptBy: string | null },
): Issue {
  const at = typeof d.at === 'number' ? d.at : null;
  const base = { id, kind, at, stationName: facts.stationName, siteName: facts.siteName };
  if (kind === 'rejection') {
    const why = (d.message ?? {}) as Partial<UserMessage>;
    const count = Array.isArray(d.movements) ? d.movements.length : 0;
    const n = typeof d.n === 'number' ? d.n : '?';
    return {
      ...base,
      message: {
        sv: `Registret avvisade post ${n}${count ? ` (${count} ${count === 1 ? 'rörelse' : 'rörelser'})` : ''}: ${text(why.sv)}`,
        en: `The register rejected entry ${n}${count ? ` (${count} ${count === 1 ? 'movement' : 'movements'})` : ''}: ${text(why.en)}`,
      },
      advice: rejectionAdvice(text(d.code)),
    };
  }
  const number = text(d.individual_number) || text(d.individual_id);
  if (typeof d.job_id === 'string') {
    const who = facts.keptBy;
    return {
      ...base,
      message:
        d.reason === 'taken'
          ? {
              sv: `Jobbet för ${number} togs av två tekniker samtidigt. ${who ? `${who} tog det först och har det.` : 'Den som tog det först har det.'}`,
              en: `The job for ${number} was taken by two technicians at once. ${who ? `${who} took it first and has it.` : 'Whoever took it first has it.'}`,
            }
          : {
              sv: `Jobbet för ${number} stegades på två stationer utan nät. Registret behöll stegen som kom först.`,
              en: `The job for ${number} was stepped at two stations while offline. The register kept the steps that came first.`,
            },
      advice:
        d.reason === 'taken'
          ? { sv: 'Den andra teknikern väljer ett annat jobb i verkstadskön.', en: 'The other technician picks another job from the workshop queue.' }
          : { sv: 'Se jobbets historik på en station i förrådet och gör om steget om det behövs.', en: "See the job's history at a station of the site and do the step again if needed." },
    };
  }
  return {
    ...base,
    message: {
      sv: `Individ ${number} flyttades av två stationer utan nät. Registret behöll den senaste flytten${facts.keptLocation ? ` (till ${facts.keptLocation})` : ''}.`,
      en: `Individual ${number} was moved by two stations while offline. The register kept the latest move${facts.keptLocation ? ` (to ${facts.keptLocation})` : ''}.`,
    },
    advice: {
      sv: 'Kontrollera var individen står och flytta den i stationen om registret har fel plats.',
      en: 'Check where the individual is and move it at a station if the register has the wrong place.',
    },
  };
}

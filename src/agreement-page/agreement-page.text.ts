import type { AgreementStatus, ChargeStatus, IntervalUnit } from '../recurring/recurring-record';
import type { Language } from './agreement-page.language';

/**
 * Everything the customer's agreement page says, in each of its languages. Values from Vipps or
 * the merchant (product name, amounts, dates) are put in by the renderer, never translated.
 */
export interface PageText {
  /** The name of the language in itself, for the language switch. */
  name: string;
  /** BCP 47 locale for Intl number and date formats. */
  locale: string;
  languageSwitch: string;
  seller: string;
  status: string;
  agreementStatus: Record<AgreementStatus, string>;
  chargeStatus: Record<ChargeStatus, string>;
  campaign: string;
  /** "every month", "every 2 weeks", … */
  every(unit: IntervalUnit, count: number): string;
  upTo(amount: string): string;
  variablePrice: string;
  payPerUse: string;
  nextCharges: string;
  noNextCharges: string;
  pastCharges: string;
  noPastCharges: string;
  date: string;
  amount: string;
  chargeFor: string;
  stopExplained: string;
  stopButton: string;
  pendingExplained: string;
  cannotChange: string;
  footer(agreementId: string): string;
  stoppedTitle: string;
  stoppedHeading(alreadyStopped: boolean): string;
  noMoreCharges: string;
  seeInApp: string;
  notFound: [title: string, message: string];
  linkNotValid: [title: string, message: string];
  tryAgain: [title: string, message: string];
  notAllowed: [title: string, message: string];
  notStopped: string;
  /** Appended to the reason a stop was refused. */
  stopElsewhere: string;
  /** Why a stop of an agreement the customer has not accepted yet is refused. */
  pendingNotStopped: string;
}

type Units = Record<IntervalUnit, string>;

const en: PageText = {
  name: 'English',
  locale: 'en-GB',
  languageSwitch: 'Language',
  seller: 'Seller',
  status: 'Status',
  agreementStatus: { PENDING: 'Waiting for you to accept it in the app', ACTIVE: 'Active', STOPPED: 'Stopped', EXPIRED: 'Expired (never accepted)' },
  chargeStatus: {
    PENDING: 'Planned', DUE: 'Due', PROCESSING: 'Being processed', RESERVED: 'Reserved', CHARGED: 'Paid', PARTIALLY_CAPTURED: 'Partly paid',
    FAILED: 'Failed', CANCELLED: 'Cancelled', PARTIALLY_REFUNDED: 'Partly refunded', REFUNDED: 'Refunded',
  },
  campaign: 'Campaign',
  every: (unit, count) => {
    const word = unit.toLowerCase();
    return count === 1 ? `every ${word}` : `every ${count} ${word}s`;
  },
  upTo: (amount) => `Up to ${amount}`,
  variablePrice: 'Variable price',
  payPerUse: 'Pay per use',
  nextCharges: 'Next charges',
  noNextCharges: 'No charges are planned.',
  pastCharges: 'Past charges',
  noPastCharges: 'Nothing has been charged yet.',
  date: 'Date',
  amount: 'Amount',
  chargeFor: 'For',
  stopExplained: 'Stopping ends the subscription now. No further charges are taken. This cannot be undone.',
  stopButton: 'Stop subscription',
  pendingExplained: 'Nothing is charged until you accept the subscription in the Vipps or MobilePay app. If you do not want it, decline it there.',
  cannotChange: 'This subscription can no longer be changed.',
  footer: (id) => `Agreement ${id}. Payments are made with Vipps MobilePay.`,
  stoppedTitle: 'Subscription stopped',
  stoppedHeading: (already) => (already ? 'Your subscription was already stopped' : 'Your subscription is now stopped'),
  noMoreCharges: 'No further charges will be taken.',
  seeInApp: 'You can also see this in the Vipps or MobilePay app.',
  notFound: ['Page not found', 'This address does not lead to a subscription.'],
  linkNotValid: ['Link not valid', 'This link to your subscription is not valid or has expired. Open the subscription in the Vipps or MobilePay app to find a new link.'],
  tryAgain: ['Please try again', 'We could not reach the payment service just now. Please try again in a minute.'],
  notAllowed: ['Not allowed', 'Open the link in your browser.'],
  notStopped: 'The subscription was not stopped',
  stopElsewhere: 'Please try again, or stop it in the Vipps or MobilePay app.',
  pendingNotStopped: 'You have not accepted this subscription yet, so there is nothing to stop. If you do not want it, decline it in the Vipps or MobilePay app.',
};

const nbUnits: Units = { DAY: 'dag', WEEK: 'uke', MONTH: 'måned', YEAR: 'år' };
const nb: PageText = {
  name: 'Norsk',
  locale: 'nb-NO',
  languageSwitch: 'Språk',
  seller: 'Selger',
  status: 'Status',
  agreementStatus: { PENDING: 'Venter på at du godtar det i appen', ACTIVE: 'Aktiv', STOPPED: 'Stoppet', EXPIRED: 'Utløpt (aldri godtatt)' },
  chargeStatus: {
    PENDING: 'Planlagt', DUE: 'Forfaller', PROCESSING: 'Behandles', RESERVED: 'Reservert', CHARGED: 'Betalt', PARTIALLY_CAPTURED: 'Delvis betalt',
    FAILED: 'Mislyktes', CANCELLED: 'Kansellert', PARTIALLY_REFUNDED: 'Delvis refundert', REFUNDED: 'Refundert',
  },
  campaign: 'Kampanje',
  every: (unit, count) => (count === 1 ? `per ${nbUnits[unit]}` : `hver ${count}. ${nbUnits[unit]}`),
  upTo: (amount) => `Opptil ${amount}`,
  variablePrice: 'Variabel pris',
  payPerUse: 'Betal etter bruk',
  nextCharges: 'Neste trekk',
  noNextCharges: 'Ingen trekk er planlagt.',
  pastCharges: 'Tidligere trekk',
  noPastCharges: 'Ingenting er trukket ennå.',
  date: 'Dato',
  amount: 'Beløp',
  chargeFor: 'Gjelder',
  stopExplained: 'Når du stopper, avsluttes abonnementet med en gang. Det blir ikke trukket flere betalinger. Dette kan ikke angres.',
  stopButton: 'Stopp abonnementet',
  pendingExplained: 'Ingenting blir trukket før du godtar abonnementet i Vipps- eller MobilePay-appen. Vil du ikke ha det, avslår du det der.',
  cannotChange: 'Dette abonnementet kan ikke endres lenger.',
  footer: (id) => `Avtale ${id}. Betalingene går gjennom Vipps MobilePay.`,
  stoppedTitle: 'Abonnementet er stoppet',
  stoppedHeading: (already) => (already ? 'Abonnementet ditt var allerede stoppet' : 'Abonnementet ditt er nå stoppet'),
  noMoreCharges: 'Det blir ikke trukket flere betalinger.',
  seeInApp: 'Du ser dette også i Vipps- eller MobilePay-appen.',
  notFound: ['Siden finnes ikke', 'Denne adressen fører ikke til et abonnement.'],
  linkNotValid: ['Lenken er ikke gyldig', 'Denne lenken til abonnementet ditt er ikke gyldig eller har utløpt. Åpne abonnementet i Vipps- eller MobilePay-appen for å finne en ny lenke.'],
  tryAgain: ['Prøv igjen', 'Vi fikk ikke kontakt med betalingstjenesten akkurat nå. Prøv igjen om et minutt.'],
  notAllowed: ['Ikke tillatt', 'Åpne lenken i nettleseren din.'],
  notStopped: 'Abonnementet ble ikke stoppet',
  stopElsewhere: 'Prøv igjen, eller stopp det i Vipps- eller MobilePay-appen.',
  pendingNotStopped: 'Du har ikke godtatt dette abonnementet ennå, så det er ikke noe å stoppe. Vil du ikke ha det, avslår du det i Vipps- eller MobilePay-appen.',
};

const daUnits: Units = { DAY: 'dag', WEEK: 'uge', MONTH: 'måned', YEAR: 'år' };
const daPer: Units = { DAY: 'om dagen', WEEK: 'om ugen', MONTH: 'om måneden', YEAR: 'om året' };
const da: PageText = {
  name: 'Dansk',
  locale: 'da-DK',
  languageSwitch: 'Sprog',
  seller: 'Sælger',
  status: 'Status',
  agreementStatus: { PENDING: 'Venter på, at du godkender den i appen', ACTIVE: 'Aktiv', STOPPED: 'Stoppet', EXPIRED: 'Udløbet (aldrig godkendt)' },
  chargeStatus: {
    PENDING: 'Planlagt', DUE: 'Forfalder', PROCESSING: 'Behandles', RESERVED: 'Reserveret', CHARGED: 'Betalt', PARTIALLY_CAPTURED: 'Delvist betalt',
    FAILED: 'Mislykkedes', CANCELLED: 'Annulleret', PARTIALLY_REFUNDED: 'Delvist refunderet', REFUNDED: 'Refunderet',
  },
  campaign: 'Kampagne',
  every: (unit, count) => (count === 1 ? daPer[unit] : `hver ${count}. ${daUnits[unit]}`),
  upTo: (amount) => `Op til ${amount}`,
  variablePrice: 'Variabel pris',
  payPerUse: 'Betal efter forbrug',
  nextCharges: 'Næste træk',
  noNextCharges: 'Der er ingen planlagte træk.',
  pastCharges: 'Tidligere træk',
  noPastCharges: 'Der er ikke trukket noget endnu.',
  date: 'Dato',
  amount: 'Beløb',
  chargeFor: 'Vedrører',
  stopExplained: 'Når du stopper, ophører abonnementet med det samme. Der bliver ikke trukket flere betalinger. Det kan ikke fortrydes.',
  stopButton: 'Stop abonnementet',
  pendingExplained: 'Der bliver ikke trukket noget, før du godkender abonnementet i Vipps- eller MobilePay-appen. Vil du ikke have det, afviser du det der.',
  cannotChange: 'Dette abonnement kan ikke længere ændres.',
  footer: (id) => `Aftale ${id}. Betalingerne sker med Vipps MobilePay.`,
  stoppedTitle: 'Abonnementet er stoppet',
  stoppedHeading: (already) => (already ? 'Dit abonnement var allerede stoppet' : 'Dit abonnement er nu stoppet'),
  noMoreCharges: 'Der bliver ikke trukket flere betalinger.',
  seeInApp: 'Du kan også se det i Vipps- eller MobilePay-appen.',
  notFound: ['Siden findes ikke', 'Denne adresse fører ikke til et abonnement.'],
  linkNotValid: ['Linket er ikke gyldigt', 'Dette link til dit abonnement er ikke gyldigt eller er udløbet. Åbn abonnementet i Vipps- eller MobilePay-appen for at finde et nyt link.'],
  tryAgain: ['Prøv igen', 'Vi kunne ikke få forbindelse til betalingstjenesten lige nu. Prøv igen om et minut.'],
  notAllowed: ['Ikke tilladt', 'Åbn linket i din browser.'],
  notStopped: 'Abonnementet blev ikke stoppet',
  stopElsewhere: 'Prøv igen, eller stop det i Vipps- eller MobilePay-appen.',
  pendingNotStopped: 'Du har ikke godkendt dette abonnement endnu, så der er ikke noget at stoppe. Vil du ikke have det, afviser du det i Vipps- eller MobilePay-appen.',
};

const fiEvery: Units = { DAY: 'päivässä', WEEK: 'viikossa', MONTH: 'kuukaudessa', YEAR: 'vuodessa' };
const fiGenitive: Units = { DAY: 'päivän', WEEK: 'viikon', MONTH: 'kuukauden', YEAR: 'vuoden' };
const fi: PageText = {
  name: 'Suomi',
  locale: 'fi-FI',
  languageSwitch: 'Kieli',
  seller: 'Myyjä',
  status: 'Tila',
  agreementStatus: { PENDING: 'Odottaa hyväksyntääsi sovelluksessa', ACTIVE: 'Voimassa', STOPPED: 'Lopetettu', EXPIRED: 'Vanhentunut (ei koskaan hyväksytty)' },
  chargeStatus: {
    PENDING: 'Suunniteltu', DUE: 'Erääntyy', PROCESSING: 'Käsitellään', RESERVED: 'Varattu', CHARGED: 'Maksettu', PARTIALLY_CAPTURED: 'Osittain maksettu',
    FAILED: 'Epäonnistui', CANCELLED: 'Peruttu', PARTIALLY_REFUNDED: 'Osittain hyvitetty', REFUNDED: 'Hyvitetty',
  },
  campaign: 'Kampanja',
  every: (unit, count) => (count === 1 ? fiEvery[unit] : `${count} ${fiGenitive[unit]} välein`),
  upTo: (amount) => `Enintään ${amount}`,
  variablePrice: 'Vaihteleva hinta',
  payPerUse: 'Maksa käytön mukaan',
  nextCharges: 'Tulevat veloitukset',
  noNextCharges: 'Veloituksia ei ole suunniteltu.',
  pastCharges: 'Aiemmat veloitukset',
  noPastCharges: 'Mitään ei ole vielä veloitettu.',
  date: 'Päivämäärä',
  amount: 'Summa',
  chargeFor: 'Kuvaus',
  stopExplained: 'Lopettaminen päättää tilauksen heti. Uusia veloituksia ei tehdä. Tätä ei voi perua.',
  stopButton: 'Lopeta tilaus',
  pendingExplained: 'Mitään ei veloiteta ennen kuin hyväksyt tilauksen Vipps- tai MobilePay-sovelluksessa. Jos et halua sitä, hylkää se siellä.',
  cannotChange: 'Tätä tilausta ei voi enää muuttaa.',
  footer: (id) => `Sopimus ${id}. Maksut välittää Vipps MobilePay.`,
  stoppedTitle: 'Tilaus lopetettu',
  stoppedHeading: (already) => (already ? 'Tilauksesi oli jo lopetettu' : 'Tilauksesi on nyt lopetettu'),
  noMoreCharges: 'Uusia veloituksia ei tehdä.',
  seeInApp: 'Näet tämän myös Vipps- tai MobilePay-sovelluksessa.',
  notFound: ['Sivua ei löydy', 'Tämä osoite ei johda tilaukseen.'],
  linkNotValid: ['Linkki ei ole voimassa', 'Tämä linkki tilaukseesi ei ole voimassa tai se on vanhentunut. Avaa tilaus Vipps- tai MobilePay-sovelluksessa saadaksesi uuden linkin.'],
  tryAgain: ['Yritä uudelleen', 'Emme juuri nyt saaneet yhteyttä maksupalveluun. Yritä uudelleen hetken kuluttua.'],
  notAllowed: ['Ei sallittu', 'Avaa linkki selaimessasi.'],
  notStopped: 'Tilausta ei lopetettu',
  stopElsewhere: 'Yritä uudelleen tai lopeta tilaus Vipps- tai MobilePay-sovelluksessa.',
  pendingNotStopped: 'Et ole vielä hyväksynyt tätä tilausta, joten lopetettavaa ei ole. Jos et halua sitä, hylkää se Vipps- tai MobilePay-sovelluksessa.',
};

export const TEXT: Record<Language, PageText> = { nb, da, fi, en };

// What a stage is deployed with, from CDK context: `cdk deploy --all -c stage=prod -c oidcIssuer=... ...`.
// `dev` has placeholder defaults so `npm run synth` works offline; any other stage must name its issuer,
// audience, sender, department address and portal, because a placeholder there would deploy something wrong.
import type { Construct } from 'constructs';
import * as z from 'zod';
import { configSchema } from '../../shared/config.ts';
import { schedules } from '../topology.ts';

const scheduleNames = schedules.map((s) => s.name);

export type StageSettings = {
  stage: string;
  oidcIssuer: string;
  oidcAudience: string;
  mailFrom: string;
  departmentEmail: string;
  /** The portal front end that e-mails link into (`-c portalUrl=https://app.werkplekduaal.be`). */
  portalUrl: string;
  allowedOrigins: string[];
  alarmEmail: string | undefined;
  /** Cron expressions that replace a schedule's default for this stage: `-c schedule.kbo-sync="cron(0 4 ? * 2 *)"`. */
  scheduleOverrides: Record<string, string>;
};

const devDefaults = {
  oidcIssuer: 'https://issuer.dev.werkplekduaal.invalid',
  oidcAudience: 'werkplekduaal-dev',
  mailFrom: 'noreply@dev.werkplekduaal.invalid',
  departmentEmail: 'department@dev.werkplekduaal.invalid',
  portalUrl: 'https://portal.dev.werkplekduaal.invalid',
  allowedOrigins: 'http://localhost:5173',
};

export function readSettings(scope: Construct): StageSettings {
  const value = (key: string): string | undefined => {
    const v: unknown = scope.node.tryGetContext(key);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const stage = value('stage') ?? 'dev';
  const missing: string[] = [];
  const required = (key: keyof typeof devDefaults): string => {
    const v = value(key);
    if (v !== undefined) return v;
    if (stage !== 'dev') missing.push(key);
    return devDefaults[key];
  };

  const settings: StageSettings = {
    stage,
    oidcIssuer: required('oidcIssuer'),
    oidcAudience: required('oidcAudience'),
    mailFrom: required('mailFrom'),
    departmentEmail: required('departmentEmail'),
    portalUrl: required('portalUrl'),
    allowedOrigins: (value('allowedOrigins') ?? (stage === 'dev' ? devDefaults.allowedOrigins : ''))
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o.length > 0),
    alarmEmail: value('alarmEmail'),
    scheduleOverrides: {},
  };
  for (const name of scheduleNames) {
    const cron = value(`schedule.${name}`);
    if (cron !== undefined) settings.scheduleOverrides[name] = cron;
  }
  if (missing.length > 0) {
    const flags = missing.map((key) => `-c ${key}=...`).join(' ');
    const names = missing.map((k) => `"${k}"`).join(', ');
    throw new Error(
      `${missing.length > 1 ? `Context values ${names} are` : `Context value ${names} is`} required for stage "${stage}" (only "dev" has placeholders): npx cdk deploy --all -c stage=${stage} ${flags}`,
    );
  }

  // The functions parse these with the same schema at cold start: a value they would refuse fails here.
  const checked = configSchema
    .pick({ STAGE: true, OIDC_ISSUER: true, OIDC_AUDIENCE: true, MAIL_FROM: true, DEPARTMENT_EMAIL: true, PORTAL_URL: true })
    .safeParse({
      STAGE: stage,
      OIDC_ISSUER: settings.oidcIssuer,
      OIDC_AUDIENCE: settings.oidcAudience,
      MAIL_FROM: settings.mailFrom,
      DEPARTMENT_EMAIL: settings.departmentEmail,
      PORTAL_URL: settings.portalUrl,
    });
  const problems = checked.success ? [] : checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  // The functions accept http for a portal on localhost (the local stage); a deployed stage links over https only.
  if (!problems.some((p) => p.startsWith('PORTAL_URL')) && !settings.portalUrl.startsWith('https://'))
    problems.push('PORTAL_URL: https only for a deployed stage');
  if (problems.some((p) => p.startsWith('PORTAL_URL')))
    problems.push(`portalUrl: "${settings.portalUrl}" is not the portal's https URL (-c portalUrl=https://app.werkplekduaal.be): e-mails link into it`);
  for (const origin of settings.allowedOrigins) {
    if (!isOrigin(origin)) problems.push(`allowedOrigins: "${origin}" is not an origin like https://portal.example.be`);
  }
  for (const [name, cron] of Object.entries(settings.scheduleOverrides)) {
    if (!/^(cron|rate)\(.+\)$/.test(cron)) problems.push(`schedule.${name}: "${cron}" is not an EventBridge Scheduler expression like cron(0 3 ? * 2 *)`);
  }
  if (settings.alarmEmail !== undefined && !z.email().safeParse(settings.alarmEmail).success)
    problems.push(`alarmEmail: "${settings.alarmEmail}" is not an e-mail address`);
  if (problems.length > 0) throw new Error(`Invalid context for stage "${stage}":\n  ${problems.join('\n  ')}`);
  return settings;
}

function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

// What a stage is deployed with: from CDK context (`cdk deploy -c stage=prod -c oidcIssuer=...`).
import type { Construct } from 'constructs';

export type StageSettings = {
  stage: string;
  oidcIssuer: string;
  oidcAudience: string;
  mailFrom: string;
  departmentEmail: string;
  allowedOrigins: string[];
  alarmEmail: string | undefined;
};

export function readSettings(scope: Construct): StageSettings {
  const value = (key: string): string | undefined => {
    const v = scope.node.tryGetContext(key);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const stage = value('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,20}$/.test(stage)) throw new Error(`context "stage" must be lowercase letters, digits and dashes, got "${stage}"`);
  const required = (key: string, devDefault: string) => {
    const v = value(key);
    if (v) return v;
    if (stage === 'dev') return devDefault;
    throw new Error(`context "${key}" is required for stage "${stage}": cdk deploy -c stage=${stage} -c ${key}=...`);
  };
  return {
    stage,
    oidcIssuer: required('oidcIssuer', 'https://authenticatie-ti.vlaanderen.be/op'),
    oidcAudience: required('oidcAudience', 'werkplekduaal-dev'),
    mailFrom: required('mailFrom', 'noreply@werkplekduaal.example'),
    departmentEmail: value('departmentEmail') ?? 'werkplekduaal@vlaanderen.be',
    allowedOrigins: (value('allowedOrigins') ?? (stage === 'dev' ? 'http://localhost:5173' : '')).split(',').map((o) => o.trim()).filter(Boolean),
    alarmEmail: value('alarmEmail'),
  };
}

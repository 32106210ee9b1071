// The CDK app: `npm run synth`, `npx cdk deploy --all -c stage=<stage> ...` (see README, Deploying).
import { App } from 'aws-cdk-lib';
import { buildApp } from './build.ts';

const app = new App();
buildApp(app);
app.synth();

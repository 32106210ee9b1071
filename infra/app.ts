// The CDK app: `npm run synth`, `npx cdk deploy --all -c stage=<stage> ...` (see the README, Deploying).
// cdk-nag's AwsSolutions checks run on every synth; accepted findings are suppressed next to the resource,
// each with its reason.
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildStage } from './stacks/stage.ts';

const app = new App();
buildStage(app);
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
app.synth();

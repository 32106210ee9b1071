// Stateful resources: the one table and the buckets, encrypted with a customer-managed key, retained on delete.
import { RemovalPolicy, Stack, type StackProps, Duration } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { tableDefinition } from '../../shared/data/table.ts';
import { buckets as bucketDefinitions, type BucketDefinition } from '../topology.ts';

export class DataStack extends Stack {
  readonly key: Key;
  readonly table: TableV2;
  readonly buckets: Record<BucketDefinition['id'], Bucket>;

  constructor(scope: Construct, id: string, props: StackProps & { allowedOrigins: string[] }) {
    super(scope, id, props);
    this.key = new Key(this, 'DataKey', { enableKeyRotation: true, description: 'werkplekduaal: table, documents and queues', removalPolicy: RemovalPolicy.RETAIN });

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: tableDefinition.globalIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      timeToLiveAttribute: tableDefinition.timeToLive,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(accessLogs, [{ id: 'AwsSolutions-S1', reason: 'This is the server access log bucket itself; logging it into itself would loop.' }]);

    this.buckets = {} as Record<BucketDefinition['id'], Bucket>;
    for (const definition of bucketDefinitions) {
      this.buckets[definition.id] = new Bucket(this, `${definition.id[0]!.toUpperCase()}${definition.id.slice(1)}Bucket`, {
        encryption: BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        versioned: true,
        enforceSSL: true,
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: `${definition.id}/`,
        lifecycleRules: [
          ...definition.expirations.map((e) => ({ prefix: e.prefix, expiration: Duration.days(e.days) })),
          // Deleted personal data must really go: old versions disappear after 30 days.
          { noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ],
        // The portal uploads documents straight to S3 with a presigned POST.
        ...(definition.id === 'documents' && props.allowedOrigins.length ? { cors: [{ allowedMethods: [HttpMethods.POST, HttpMethods.GET], allowedOrigins: props.allowedOrigins, allowedHeaders: ['*'], maxAge: 3000 }] } : {}),
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
  }
}

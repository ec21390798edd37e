/**
 * The EC2 hosts Ansible configures: the AMI the spec pins (or Amazon Linux
 * 2023 from the public SSM parameter, resolved by CloudFormation at deploy
 * time, never looked up at synth), in the private subnets, IMDSv2 only, encrypted gp3 volumes,
 * detailed monitoring, and the tags the Ansible inventory selects on; plus
 * the S3 bucket Ansible's SSM connection transfers files through. With
 * hosts.count 0 the stack holds only the instance role and that bucket.
 */
import { Aspects, Size, Stack, StackProps, Tags, aws_ec2 as ec2, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TAG_ROLE, type ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { acknowledgePinnedAz, subnetAvailabilityZone } from '../availability-zones';
import { useServiceFeatureFlags } from '../feature-flags';
import type { NetworkStack } from '../network';
import { stableOutput } from '../outputs';
import { guardRule } from '../policy-validation';
import { RETAINED } from '../retained';
import { hostRole } from './host-role';
import { HostPlacement, hostPlacements, isArmInstanceType } from './placement';
import { hostTransferBucket } from './transfer-bucket';

/**
 * The hosts' AMI. Pinned (hosts.imageId), it is a literal in the template and changes only when the
 * spec does. Unpinned, it is AL2023's public SSM parameter, which CloudFormation resolves on every
 * deploy (never at synth, which needs no credentials): a new AL2023 release replaces the hosts.
 */
export function hostMachineImage(spec: ServiceSpec): ec2.IMachineImage {
  if (spec.hosts.imageId) return ec2.MachineImage.genericLinux({ [spec.region]: spec.hosts.imageId });
  // The distribution's default kernel as AWS publishes it (MachineImage.latestAmazonLinux2023 pins 6.1).
  return new ec2.AmazonLinux2023ImageSsmParameter({
    kernel: ec2.AmazonLinux2023Kernel.DEFAULT,
    cachedInContext: false,
    cpuType: isArmInstanceType(spec.hosts.instanceType) ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64,
  });
}

/** AL2023's root device; the data volume, when there is one, is attached next to it. */
export const ROOT_DEVICE = '/dev/xvda';
export const DATA_DEVICE = '/dev/sdf';

export interface HostsStackProps extends StackProps {
  readonly spec: ServiceSpec;
  readonly network: NetworkStack;
}

export class HostsStack extends Stack {
  readonly role: iam.Role;
  readonly instances: readonly ec2.Instance[];
  /** Where Ansible's SSM connection moves files; named as the generated inventory expects. */
  readonly transferBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: HostsStackProps) {
    super(scope, id, props);
    useServiceFeatureFlags(this);
    const { spec, network } = props;
    this.role = hostRole(this, 'Role', spec);
    Tags.of(this).add(TAG_ROLE, spec.hosts.role);
    this.transferBucket = hostTransferBucket(this, 'TransferBucket', spec, this.role).bucket;
    stableOutput(this, 'HostTransferBucketName', this.transferBucket.bucketName, 'the S3 bucket Ansible\'s SSM connection moves files through (ansible_aws_ssm_bucket_name)');

    const machineImage = hostMachineImage(spec);
    // The instances have detailed monitoring; their launch templates (added at synthesis by CDK's IMDSv2
    // aspect) say so too, as the cfn-guard launch template monitoring control expects.
    Aspects.of(this).add({
      visit: (node) => {
        if (node instanceof ec2.CfnLaunchTemplate) node.addPropertyOverride('LaunchTemplateData.Monitoring.Enabled', true);
      },
    });
    this.instances = hostPlacements(spec).map((placement) =>
      this.host(spec, network, placement, network.subnetNamed(placement.subnet.name), machineImage),
    );
  }

  private host(
    spec: ServiceSpec,
    network: NetworkStack,
    placement: HostPlacement,
    subnet: ec2.ISubnet,
    machineImage: ec2.IMachineImage,
  ): ec2.Instance {
    const id = `Host${placement.ordinal}`;
    const instance = new ec2.Instance(this, id, {
      instanceName: placement.name,
      vpc: network.vpc,
      vpcSubnets: { subnets: [subnet] },
      instanceType: new ec2.InstanceType(spec.hosts.instanceType),
      machineImage,
      role: this.role,
      securityGroup: network.hostSecurityGroup,
      requireImdsv2: true,
      detailedMonitoring: true,
      associatePublicIpAddress: false,
      blockDevices: [
        {
          deviceName: ROOT_DEVICE,
          volume: ec2.BlockDeviceVolume.ebs(spec.hosts.rootVolumeGiB, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
            deleteOnTermination: true,
          }),
        },
      ],
    });
    acknowledgePinnedAz(instance, spec.network, placement.subnet);
    acknowledge(instance, {
      id: 'AwsSolutions-EC29',
      reason:
        'Hosts are disposable: Ansible rebuilds their configuration and state lives on the separate retained data volume. Termination protection would make CloudFormation fail every replacement, e.g. when the AL2023 AMI parameter moves.',
    }, {
      id: guardRule('ec2_launch_template_monitoring_enabled_check'),
      reason: 'The instance itself has detailed monitoring on (Monitoring: true); this launch template exists only to require IMDSv2 and carries no monitoring setting of its own.',
    }, {
      id: guardRule('ec2_instance_nitro_encryption_in_transit_check'),
      reason: 'The instance type is the spec\'s hosts.instanceType (a team cost choice); traffic to the hosts is encrypted by its protocols (SSM Session Manager, TLS), not by the Nitro link layer.',
    });

    if (spec.hosts.dataVolumeGiB > 0) {
      const volume = new ec2.Volume(this, `${id}Data`, {
        availabilityZone: subnetAvailabilityZone(spec.network, placement.subnet),
        size: Size.gibibytes(spec.hosts.dataVolumeGiB),
        volumeType: ec2.EbsDeviceVolumeType.GP3,
        encrypted: true,
        removalPolicy: RETAINED,
      });
      Tags.of(volume).add('Name', `${placement.name}-data`);
      acknowledgePinnedAz(volume, spec.network, placement.subnet);
      new ec2.CfnVolumeAttachment(this, `${id}DataAttachment`, {
        instanceId: instance.instanceId,
        volumeId: volume.volumeId,
        device: DATA_DEVICE,
      });
    }

    stableOutput(this, `${id}InstanceId`, instance.instanceId, `${placement.name} instance id (${placement.subnet.name})`);
    return instance;
  }
}

/**
 * One network ACL per tier, holding the entries `naclRules` lists and
 * associated with that tier's subnets. Replacing the default NACL's
 * association is what makes these rules the ones in force.
 */
import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec, Tier } from '../../spec';
import { acknowledge } from '../acknowledge';
import { pascalCase } from '../outputs';
import { naclRules } from './nacl-rules';
import { ServiceVpc } from './service-vpc';

export interface NetworkAclsProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceVpc;
}

export class NetworkAcls extends Construct {
  readonly acls: Readonly<Record<Tier, ec2.CfnNetworkAcl>>;

  constructor(scope: Construct, id: string, props: NetworkAclsProps) {
    super(scope, id);
    const { spec, network } = props;
    const tiers: readonly { tier: Tier; name: string; subnets: ServiceVpc['publicSubnets'] }[] = [
      { tier: 'public', name: spec.names.publicNetworkAcl, subnets: network.publicSubnets },
      { tier: 'private', name: spec.names.privateNetworkAcl, subnets: network.privateSubnets },
    ];
    const rules = naclRules(spec.network);
    const acls = {} as Record<Tier, ec2.CfnNetworkAcl>;

    for (const { tier, name, subnets } of tiers) {
      const prefix = tier === 'public' ? 'Public' : 'Private';
      const acl = new ec2.CfnNetworkAcl(this, `${prefix}Acl`, {
        vpcId: network.resource.ref,
        tags: [{ key: 'Name', value: name }],
      });
      acknowledge(acl, {
        id: 'AwsSolutions-VPC3',
        reason: `The design requires per-tier network ACLs (${name}) as a stateless second layer under the security groups; every entry, including ephemeral return ports, is derived from the spec and asserted in test/infra.`,
      });
      for (const rule of rules.filter((r) => r.tier === tier)) {
        const entry = new ec2.CfnNetworkAclEntry(this, `${prefix}${rule.egress ? 'Egress' : 'Ingress'}${rule.ruleNumber}`, {
          networkAclId: acl.ref,
          ruleNumber: rule.ruleNumber,
          egress: rule.egress,
          protocol: rule.protocol,
          ruleAction: 'allow',
          cidrBlock: rule.cidr,
          ...(rule.ports ? { portRange: { from: rule.ports.from, to: rule.ports.to } } : {}),
        });
        acknowledge(entry, {
          id: 'AwsSolutions-VPC3',
          reason: `Entry of the ${name} ACL the design requires: ${rule.purpose}.`,
        });
      }
      for (const subnet of subnets) {
        new ec2.CfnSubnetNetworkAclAssociation(this, `${pascalCase(subnet.spec.name)}Association`, {
          subnetId: subnet.resource.ref,
          networkAclId: acl.ref,
        });
      }
      acls[tier] = acl;
    }
    this.acls = acls;
  }
}

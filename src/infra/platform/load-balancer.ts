/**
 * The public entry: an internet-facing ALB in the public subnets with one IP
 * target group for the service. With a certificate (given, or issued by ACM
 * DNS validation for container.domain) it serves HTTPS and redirects HTTP;
 * without one it serves HTTP only, which the spec allows only unprotected.
 * A protected environment's ALB has deletion protection on.
 */
import { Duration, aws_certificatemanager as acm, aws_ec2 as ec2, aws_elasticloadbalancingv2 as elbv2, aws_route53 as route53, aws_route53_targets as targets, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ServiceSpec } from '../../spec';
import { acknowledge } from '../acknowledge';
import { guardRule } from '../policy-validation';
import type { ServiceNetwork } from '../service-network';

export interface ServiceLoadBalancerProps {
  readonly spec: ServiceSpec;
  readonly network: ServiceNetwork;
  readonly accessLogs: s3.IBucket;
}

export class ServiceLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The listener that forwards to the service (HTTPS when there is a certificate). */
  readonly listener: elbv2.ApplicationListener;
  private zone?: route53.IHostedZone;

  constructor(scope: Construct, id: string, props: ServiceLoadBalancerProps) {
    super(scope, id);
    const { spec, network } = props;
    const { container } = spec;
    const certificateArn = this.certificateArn(spec);
    if (spec.protectedEnvironment && !certificateArn) {
      // The spec rejects this first; kept so a hand-made spec cannot serve a protected environment over plain HTTP.
      throw new Error(`${spec.names.loadBalancer}: a protected environment serves HTTPS only; set container.domain or container.certificateArn`);
    }

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: network.vpc,
      description: `${spec.names.loadBalancer}: HTTP${certificateArn ? '/HTTPS' : ''} from the internet`,
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet');
    if (certificateArn) securityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
    acknowledge(securityGroup, {
      id: 'AwsSolutions-EC23',
      reason: 'This is the public load balancer of a public web service: it must accept HTTP/HTTPS from any address; the tasks behind it accept only this group.',
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      loadBalancerName: spec.names.loadBalancer,
      vpc: network.vpc,
      vpcSubnets: network.publicSubnets,
      internetFacing: true,
      securityGroup,
      dropInvalidHeaderFields: true,
      deletionProtection: spec.protectedEnvironment,
    });
    if (!spec.protectedEnvironment) {
      acknowledge(this.loadBalancer, {
        id: guardRule('elbv2_deletion_protection_enabled_check'),
        reason: 'An unprotected (development) environment must be removable with cdk destroy; every protected environment turns deletion protection on.',
      });
    }
    this.loadBalancer.logAccessLogs(props.accessLogs, 'alb');

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      targetGroupName: spec.names.targetGroup,
      vpc: network.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: container.port,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: container.healthCheckPath,
        healthyHttpCodes: '200-399',
        interval: Duration.seconds(15),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });

    if (certificateArn) {
      this.listener = this.loadBalancer.addListener('Https', {
        protocol: elbv2.ApplicationProtocol.HTTPS,
        port: 443,
        open: false,
        certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultTargetGroups: [this.targetGroup],
      });
      this.loadBalancer.addRedirect({
        sourcePort: 80,
        sourceProtocol: elbv2.ApplicationProtocol.HTTP,
        targetPort: 443,
        targetProtocol: elbv2.ApplicationProtocol.HTTPS,
        open: false,
      });
    } else {
      this.listener = this.loadBalancer.addListener('Http', {
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: 80,
        open: false,
        defaultTargetGroups: [this.targetGroup],
      });
      acknowledge(this.listener, {
        id: guardRule('alb_http_to_https_redirection_check'),
        reason: 'No certificate is configured, so there is no HTTPS listener to redirect to; the spec allows this only in an unprotected environment.',
      });
    }
    if (container.domain) {
      new route53.ARecord(this, 'Alias', {
        zone: this.hostedZone(spec),
        recordName: `${container.domain.name}.`,
        target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
        comment: `${spec.serviceName}: the service's public name, to its load balancer`,
      });
    }
  }


  /** The hosted zone from the spec's attributes: no lookup, so synth stays offline. */
  private hostedZone(spec: ServiceSpec): route53.IHostedZone {
    const domain = spec.container.domain!;
    this.zone ??= route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: domain.hostedZoneId, zoneName: domain.hostedZoneName });
    return this.zone;
  }

  /** The given certificate, or one ACM issues for the domain by DNS validation in its hosted zone. */
  private certificateArn(spec: ServiceSpec): string | undefined {
    const { certificateArn, domain } = spec.container;
    if (certificateArn) return certificateArn;
    if (!domain) return undefined;
    // https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html: CloudFormation writes the CNAME and waits for issuance.
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: domain.name,
      validation: acm.CertificateValidation.fromDns(this.hostedZone(spec)),
    });
    return certificate.certificateArn;
  }
}

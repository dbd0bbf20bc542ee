import { degradedExplanation, groupedExplanation, oomExplanation } from '../test/fixtures';
import { explanationToMarkdown } from './markdown';

describe('explanationToMarkdown', () => {
  it('renders the explanation for an incident channel', () => {
    const md = explanationToMarkdown(oomExplanation);
    expect(md).toContain('### Explanation: KubePodCrashLooping');
    expect(md).toContain('**Root cause:** OOMKilled on Deployment shop/order-service (confidence 90%)');
    expect(md).toContain('- [critical] Container order was OOMKilled 5 times');
    expect(md).toContain('1. Check memory usage against the limit\n```\nkubectl -n shop top pod -l app=order\n```');
    expect(md).toContain('_openai / gpt-4o-mini, 3520 tokens, $0.0007, 4.2 s_');
  });

  it('names degraded sources and escapes markdown from untrusted text', () => {
    const md = explanationToMarkdown({
      ...degradedExplanation,
      summary: 'click [here](http://evil) *now*',
      nextSteps: [{ text: 'run', command: 'echo ``` done' }],
    });
    expect(md).toContain('click \\[here\\]\\(http://evil\\) \\*now\\*');
    expect(md).toContain('_Partial: prometheus unavailable (connection refused)_');
    expect(md).toContain('````\necho ``` done\n````');
  });

  it('lists the alert group with which alerts share the cause', () => {
    const md = explanationToMarkdown(groupedExplanation);
    expect(md).toContain('**Alert group**\n- OrderErrors (shares this cause): the analyzers trace it to');
    expect(md).toContain(
      '- CartSlow (other cause): explained apart: the analyzers find another cause, CPUThrottling of Deployment/shop/cart'
    );
    expect(explanationToMarkdown(oomExplanation)).not.toContain('Alert group');
  });
});

/**
 * A collapsible inspector section ("Main", then one per child config, recursively), with the
 * advanced fields (seed…) behind a button.
 *
 * @module
 */
import { type ReactNode, useState } from 'react';
import { canLink } from '../../model/commands.ts';
import type { FieldSection } from '../../model/fields.ts';
import type { DocNode } from '../../model/types.ts';
import { formatPath } from '../../model/types.ts';
import { FieldRow } from './FieldRow.tsx';

/** Props of {@link Section}. */
export interface SectionProps {
  node: DocNode | null;
  section: FieldSection;
  /** Fields locked by a linked parent (formatted paths). */
  receiving: ReadonlySet<string>;
  /** Show the advanced fields from the start (a problem or a focus request points at one). */
  showAdvanced?: boolean;
}

/** One section and its sub-sections. */
export function Section(props: SectionProps): ReactNode {
  const { section, node } = props;
  const links = new Set(node?.links ?? []);
  const [advanced, setAdvanced] = useState(false);
  const rows = section.fields.filter((f) => advanced || props.showAdvanced || !f.advanced);
  const hidden = section.fields.length - rows.length;
  return (
    <details className="spark-section" open data-section={section.title}>
      <summary>
        {section.title}
        {section.type ? <span className="spark-section-type"> {section.type}</span> : null}
      </summary>
      {rows.map((f) => {
        const key = formatPath(f.path);
        return (
          <FieldRow
            key={key}
            node={node}
            f={f}
            locked={props.receiving.has(key)}
            linked={links.has(key)}
            linkable={node !== null && canLink(node.config, f.path)}
          />
        );
      })}
      {hidden > 0 ? (
        <button type="button" className="spark-link-button" onClick={() => setAdvanced(true)}>
          Show {hidden} advanced field{hidden > 1 ? 's' : ''} (
          {section.fields
            .filter((f) => f.advanced)
            .map((f) => f.name)
            .join(', ')}
          )
        </button>
      ) : null}
      {section.sections.map((s) => (
        <Section
          key={formatPath(s.path)}
          node={node}
          section={s}
          receiving={props.receiving}
          {...(props.showAdvanced ? { showAdvanced: true } : {})}
        />
      ))}
    </details>
  );
}

// One expression field: completion of input fields and features, and the compiler's error shown under it.
import { useMemo, useState } from 'react';
import { AutoComplete, Input } from 'antd';
import { issuesAt, useEditor } from './context.js';

export interface ExprInputProps {
  value: string | undefined;
  onChange(v: string): void;
  nodeId: string;
  /** Path of this field inside the node's content, as the validator names it (e.g. `config.rules[0].condition`). */
  path: string;
  placeholder?: string;
  testId?: string;
  size?: 'small' | 'middle';
}

const TOKEN = /[A-Za-z_$][\w.$]*$/;

export function ExprInput({ value, onChange, nodeId, path, placeholder, testId, size = 'small' }: ExprInputProps) {
  const { issues, completions } = useEditor();
  const [focused, setFocused] = useState(false);
  const errs = issuesAt(issues.get(nodeId), path);
  const v = value ?? '';
  const options = useMemo(() => {
    if (!focused) return [];
    const m = TOKEN.exec(v);
    if (!m) return [];
    const token = m[0];
    const before = v.slice(0, v.length - token.length);
    return completions
      .filter((c) => c.startsWith(token) && c !== token)
      .slice(0, 10)
      .map((c) => ({ value: before + c, label: <span className="mono">{c}</span> }));
  }, [v, focused, completions]);
  return (
    <div style={{ width: '100%' }}>
      <AutoComplete value={v} options={options} onChange={(x) => onChange(String(x))} style={{ width: '100%' }} popupMatchSelectWidth={false}>
        <Input
          size={size}
          className="mono"
          placeholder={placeholder}
          status={errs.length ? 'error' : undefined}
          title={v.length > 30 ? v : undefined}
          data-testid={testId}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          spellCheck={false}
        />
      </AutoComplete>
      {errs.map((e, i) => (
        <div key={i} className="expr-error" data-testid="expr-error">
          {e.message}
        </div>
      ))}
    </div>
  );
}

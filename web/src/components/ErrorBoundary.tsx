// Keeps one broken page from blanking the whole console; the error is shown with a way back.
import { Component, type ReactNode } from 'react';
import { Alert, Button } from 'antd';

export class ErrorBoundary extends Component<{ children: ReactNode; title: string; retry: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Alert
        type="error"
        showIcon
        style={{ margin: 24 }}
        message={this.props.title}
        description={this.state.error.message}
        action={
          <Button size="small" onClick={() => this.setState({ error: null })}>
            {this.props.retry}
          </Button>
        }
      />
    );
  }
}

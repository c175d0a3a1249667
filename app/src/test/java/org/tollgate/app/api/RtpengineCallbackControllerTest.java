package org.tollgate.app.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RtpengineCallbackControllerTest {

    private static byte[] xml(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rtpenginesTeardownNamesTheCall() {
        // as rtpengine 10.5 sends it with --xmlrpc-format=1
        assertThat(RtpengineCallbackController.teardownCallId(xml("""
                <?xml version="1.0" encoding="UTF-8"?>
                <methodCall>
                <methodName>teardown</methodName>
                <params>
                <param><value><string>1-1474@127.0.0.1</string></value></param>
                </params>
                </methodCall>
                """))).isEqualTo("1-1474@127.0.0.1");
    }

    @Test
    void anythingElseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> RtpengineCallbackController.teardownCallId(null)).hasMessageContaining("methodCall");
        assertThatThrownBy(() -> RtpengineCallbackController.teardownCallId(xml("<methodCall>")))
                .hasMessageContaining("not an XML-RPC methodCall");
        assertThatThrownBy(() -> RtpengineCallbackController.teardownCallId(xml(
                "<methodCall><methodName>di</methodName></methodCall>"))).hasMessageContaining("only teardown");
        assertThatThrownBy(() -> RtpengineCallbackController.teardownCallId(xml(
                "<methodCall><methodName>teardown</methodName><params/></methodCall>"))).hasMessageContaining("call-id");
        // no entities: an external one is a refusal, never a file read
        assertThatThrownBy(() -> RtpengineCallbackController.teardownCallId(xml("""
                <?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <methodCall><methodName>teardown</methodName><params><param><value>&x;</value></param></params></methodCall>
                """))).hasMessageContaining("not an XML-RPC methodCall");
    }
}

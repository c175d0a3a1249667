package org.tollgate.app.api;

import org.tollgate.app.api.access.Allowed;
import org.tollgate.app.api.access.Role;

import java.io.ByteArrayInputStream;
import java.time.Duration;

import javax.sql.DataSource;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import org.tollgate.app.api.access.AdminAccessFilter;
import org.tollgate.proxy.dialog.JdbcDialogEnds;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * rtpengine's teardown callback ({@code --b2b-url=http://HOST:PORT/api/rtpengine --xmlrpc-format=1}):
 * an XML-RPC {@code teardown(call-id)} for a call whose media timed out. The running proxy that holds
 * the call ends it as a media timeout (BYE both ways, Stop with Idle-Timeout at the last packet).
 * Only the configured relays' hosts or an admin reach it ({@link AdminAccessFilter}).
 */
@RestController
@Allowed(Role.OPERATOR)
@ConditionalOnWebApplication
public class RtpengineCallbackController {

    private static final Logger log = LoggerFactory.getLogger(RtpengineCallbackController.class);
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final int MAX_BODY = 16 * 1024;

    private final JdbcDialogEnds ends;

    public RtpengineCallbackController(DataSource dataSource) {
        this.ends = new JdbcDialogEnds(dataSource);
    }

    @PostMapping(path = AdminAccessFilter.RELAY_CALLBACK, produces = MediaType.TEXT_XML_VALUE)
    public ResponseEntity<String> call(@RequestBody(required = false) byte[] body) throws InterruptedException {
        String callId;
        try {
            callId = teardownCallId(body);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.ok(fault(1, e.getMessage()));
        }
        JdbcDialogEnds.Outcome o = ends.end(callId, JdbcDialogEnds.MEDIA_RELAY, WAIT);
        log.info("media relay timed out call {}: {}", callId, o.ended() ? "ended by " + o.proxy() : "no proxy holds it");
        return ResponseEntity.ok("<?xml version=\"1.0\"?><methodResponse><params><param><value><string>"
                + (o.ended() ? "ended" : "not found") + "</string></value></param></params></methodResponse>");
    }

    /** The call-id of {@code teardown(call-id)}; anything else is refused with the reason. */
    static String teardownCallId(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_BODY) {
            throw new IllegalArgumentException("expected an XML-RPC methodCall of at most " + MAX_BODY + " bytes");
        }
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true); // no entities, no XXE
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            doc = b.parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new IllegalArgumentException("not an XML-RPC methodCall: " + e.getMessage());
        }
        NodeList method = doc.getElementsByTagName("methodName");
        if (method.getLength() != 1 || !"teardown".equals(method.item(0).getTextContent().trim())) {
            throw new IllegalArgumentException("only teardown(call-id) is served (rtpengine --xmlrpc-format=1)");
        }
        NodeList params = doc.getElementsByTagName("param");
        if (params.getLength() < 1) {
            throw new IllegalArgumentException("teardown needs the call-id");
        }
        String callId = params.item(0).getTextContent().trim();
        if (callId.isEmpty() || callId.length() > 1024) {
            throw new IllegalArgumentException("teardown needs a call-id of 1 to 1024 characters");
        }
        return callId;
    }

    private static String fault(int code, String message) {
        return "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>"
                + "<member><name>faultCode</name><value><int>" + code + "</int></value></member>"
                + "<member><name>faultString</name><value><string>" + HtmlUtils.htmlEscape(message, "UTF-8")
                + "</string></value></member></struct></value></fault></methodResponse>";
    }
}
